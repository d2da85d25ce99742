// Our policy on a benchmark: every item's three tasks as sandbox rollouts, written in the outputs layout the judges
// read (outputs.ts), for `vthinker eval` (scoreRun) or the eval stage (evaluate-model.ts) to judge. Perception and IGI are single-shot (one code round: the sandbox runs the first
// call and nothing after it, the answer round follows); Interactive Reasoning allows `irRounds` rounds, as the paper.
// Decoding is greedy, so a model's score is a function of its weights.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runRollouts, type RolloutTask } from '../curriculum/rollouts.ts';
import type { Policy } from '../model/policy.ts';
import type { Rollout } from '../policy/rollout.ts';
import type { Tokenizer } from '../policy/tokenizer.ts';
import { decodePng, encodePng } from '../scene/raster.ts';
import { rng } from '../util/random.ts';
import { fileStem } from './layout.ts';
import { toolUseOf, type ToolUse } from './tool-use.ts';
import { type BenchItem, questionOf, type Task, TASKS } from './types.ts';

export interface RunPolicyOptions {
  /** Rounds of an Interactive Reasoning rollout (paper 5). */
  irRounds: number;
  batchSize?: number;
  onProgress?: (done: number, total: number, note: string) => void;
}

export interface PolicyRun {
  tools: Record<Task, ToolUse>;
}

/** Rolls out every item's tasks and writes `<stem>.<task>.png/.txt` into `outDir`. */
export async function runPolicyOnBench(policy: Policy, tok: Tokenizer, items: readonly BenchItem[], outDir: string, o: RunPolicyOptions): Promise<PolicyRun> {
  mkdirSync(outDir, { recursive: true });
  const bs = o.batchSize ?? 64;
  const tools = {} as Record<Task, ToolUse>;
  let done = 0;
  const total = TASKS.reduce((n, task) => n + items.filter((item) => item[task]).length, 0);
  for (const task of TASKS) {
    // A release item may lack a task (its annotation or answer is absent): it is neither run nor judged.
    const mine = items.filter((item) => item[task]);
    const single = task !== 'reasoning';
    const settings = { maxRounds: single ? 2 : o.irRounds, temperature: 0, limits: single ? { maxCalls: 1 } : {} };
    const all: Rollout[] = [];
    for (let i = 0; i < mine.length; i += bs) {
      const chunk = mine.slice(i, i + bs);
      const tasks: RolloutTask[] = chunk.map((item) => {
        const image = decodePng(item.image);
        // Code coordinates span the scene when the item has geometry, else the tokenizer's canvas over the image.
        const sceneSize = item.truth ? { width: item.truth.width, height: item.truth.height } : tok.canvas;
        return { id: `${item.id}/${task}`, question: questionOf(item, task)!, image, sceneSize };
      });
      const outs = await runRollouts(policy, tok, tasks, settings, rng(0));
      chunk.forEach((item, k) => {
        const r = outs[k]!;
        const stem = join(outDir, `${fileStem(item.id)}.${task}`);
        writeFileSync(`${stem}.txt`, r.text + '\n');
        if (single) writeFileSync(`${stem}.png`, encodePng(r.images[r.images.length - 1]!));
      });
      all.push(...outs);
      done += chunk.length;
      o.onProgress?.(done, total, `${task}`);
    }
    tools[task] = toolUseOf(all.map((r) => ({ calls: r.calls, answered: r.stop === 'answer' })));
  }
  return { tools };
}
