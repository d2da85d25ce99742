// A saved model directory (weights + tokenizer) on a benchmark file: the core of eval@<variant> (its scores.json, read
// by the results table and the notebooks). Scores in percent with 95% Wilson intervals, per task, per domain, plus how
// the model used the sandbox and how often the image judge and the geometric cross-check agreed. `vthinker eval`
// runs the same rollouts (run-policy.ts) and reports through scoreRun instead (eval-cli.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWeights } from '../model/weights.ts';
import { Tokenizer, type TokenizerJSON } from '../policy/tokenizer.ts';
import { loadBench } from './layout.ts';
import { judgeItems } from './outputs.ts';
import { runPolicyOnBench, type RunPolicyOptions } from './run-policy.ts';
import type { Accuracy } from './score.ts';
import type { ToolUse } from './tool-use.ts';
import type { Task } from './types.ts';

/** The paper's column names for our task keys. */
export const TASK_COLUMN: Record<Task, 'perception' | 'igi' | 'ir'> = { perception: 'perception', instruction: 'igi', reasoning: 'ir' };

export interface TaskScore { score: number; lo: number; hi: number; n: number }

export interface BenchScores {
  items: number;
  tasks: Record<'perception' | 'igi' | 'ir', TaskScore>;
  domains: { task: 'perception' | 'igi' | 'ir'; domain: string; score: number; n: number }[];
  tools: Record<'perception' | 'igi' | 'ir', ToolUse>;
  agreement: Record<string, { agree: number; total: number }>;
  /** Per item and task: 1 when judged correct (for galleries and paired comparisons). */
  verdicts: Record<string, Record<'perception' | 'igi' | 'ir', 0 | 1>>;
}

const pct = (v: number) => +(100 * v).toFixed(1);
const taskScore = (a: Accuracy): TaskScore => ({ score: pct(a.accuracy), lo: pct(a.low), hi: pct(a.high), n: a.total });

/** Reads a model directory written by a training stage: its policy and the tokenizer it was trained with. */
export function loadModelDir(dir: string) {
  const tok = Tokenizer.fromJSON(JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as TokenizerJSON);
  return { policy: loadWeights(dir), tok };
}

export async function evaluateModelDir(modelDir: string, benchFile: string, outDir: string, o: RunPolicyOptions): Promise<BenchScores> {
  const items = await loadBench(benchFile);
  const { policy, tok } = loadModelDir(modelDir);
  try {
    const { tools } = await runPolicyOnBench(policy, tok, items, outDir, o);
    const report = await judgeItems(items, outDir);
    const tasks = {} as BenchScores['tasks'];
    const domains: BenchScores['domains'] = [];
    const toolsOut = {} as BenchScores['tools'];
    for (const [task, col] of Object.entries(TASK_COLUMN) as [Task, 'perception' | 'igi' | 'ir'][]) {
      tasks[col] = taskScore(report.summary[task].overall);
      toolsOut[col] = tools[task];
      for (const [domain, a] of Object.entries(report.summary[task].byDomain)) domains.push({ task: col, domain, score: pct(a.accuracy), n: a.total });
    }
    const verdicts: BenchScores['verdicts'] = {};
    for (const row of report.rows) (verdicts[row.id] ??= { perception: 0, igi: 0, ir: 0 })[TASK_COLUMN[row.task]] = row.score;
    return { items: items.length, tasks, domains, tools: toolsOut, agreement: report.agreement, verdicts };
  } finally {
    policy.dispose();
  }
}
