// Does the GRPO loop learn at all? A check of the RL machinery, not of the method: rl2 (the same loop, rewards and
// params as the default profile's `rl2`, except those given here) on a pool of only N training questions of one task kind,
// so every prompt comes back every few steps. A loop that learns raises its sampled accuracy on them; a broken
// advantage, mask or log-probability does not. Prints each step and the mean sampled accuracy of the first and last
// five steps. Writes the run's model and curve under OUT_DIR.
//   node --import tsx bench/grpo-overfit.ts TRAIN_JSONL INIT_MODEL OUT_DIR [N=16] [STEPS=30] [LR=1e-4] [KIND=reasoning]
// e.g. artifacts/tiny/curriculum-data/rl.jsonl artifacts/tiny/rl1/model /tmp/grpo-overfit (about 4 min on 2 cores).
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { loadParamsFile, resolveProfile } from '@vthinker/engine/api';
import { curriculumTokenizer } from '../stages/training.ts';
import { initCompute } from '../vthinker/compute/setup.ts';
import { episodesOf } from '../vthinker/curriculum/data.ts';
import { TASK_KINDS, type TaskKind } from '../vthinker/curriculum/episode.ts';
import type { Sample } from '../vthinker/synth/types.ts';
import { trainGrpo, type GrpoParams } from '../vthinker/train/grpo-loop.ts';
import { readJsonl } from '../vthinker/util/jsonl.ts';

const USAGE = 'usage: bench/grpo-overfit.ts TRAIN_JSONL INIT_MODEL OUT_DIR [N=16] [STEPS=30] [LR=1e-4] [KIND=reasoning]';
const [trainFile, init, outDir, nArg = '16', stepsArg = '30', lrArg = '1e-4', kind = 'reasoning'] = process.argv.slice(2);
const [n, steps, lr] = [Number(nArg), Number(stepsArg), Number(lrArg)];
if (!trainFile || !init || !outDir || !(n >= 1) || !(steps >= 1) || !(lr > 0) || !TASK_KINDS.includes(kind as TaskKind)) {
  console.error(`${USAGE}\nKIND is one of ${TASK_KINDS.join(', ')}`);
  process.exit(2);
}

await initCompute();
// The first N questions are the whole pool; the next 16 the greedy evaluation's held-out episodes.
const EVAL = 16;
const episodes = episodesOf(readJsonl<Sample>(trainFile), [kind as TaskKind]).slice(0, n + EVAL);
// The default profile's params, resolved as `vthinker run` resolves them.
const defaults = resolveProfile(loadParamsFile(fileURLToPath(new URL('../params.yaml', import.meta.url)))).params as unknown as { rl2: GrpoParams; seed: number };
// As many steps as asked: epochs sized so that ceil(epochs x N / prompts_per_step) = steps.
const params: GrpoParams = { ...defaults.rl2, lr, epochs: (steps * defaults.rl2.prompts_per_step) / n, max_steps: steps, eval_per_kind: 8, checkpoint_every: steps, diagnostics: { items: 0 } };
const names = ['model', 'curve', 'eval', 'rollouts', 'sheets', 'samples'] as const;
const out = Object.fromEntries(names.map((k) => [k, join(outDir, k)])) as Record<(typeof names)[number], string>;
mkdirSync(out.sheets, { recursive: true });

await trainGrpo({
  pool: episodes.slice(0, n), heldout: episodes.slice(n), tokenizer: curriculumTokenizer(), params, seed: defaults.seed, workers: 2, init, stageName: 'grpo-overfit', out,
  onProgress: (done, total, note) => console.log(`${done}/${total} ${note}`),
});
// The curve holds each step's sampled rollouts' statistics.
const accuracy = readJsonl<{ accuracy: number }>(out.curve).map((m) => 100 * m.accuracy);
const mean = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1);
console.log(`sampled accuracy on the ${n} training questions: first 5 steps ${mean(accuracy.slice(0, 5))}%, last 5 ${mean(accuracy.slice(-5))}%`);
