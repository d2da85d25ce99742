// Does the GRPO loop learn at all? A check of the RL machinery, not of the method: rl2 (the same loop, rewards and
// params as the default profile's `rl2`, except those given here) on a pool of only N training questions of one task kind,
// so every prompt comes back every few steps. A loop that learns raises its sampled accuracy on them; a broken
// advantage, mask or log-probability does not. Prints each step and the mean sampled accuracy of the first and last
// five steps. Writes the run's model and curve under OUT_DIR.
//   node --import tsx bench/grpo-overfit.ts TRAIN_JSONL INIT_MODEL OUT_DIR [N=16] [STEPS=30] [LR=1e-4] [KIND=reasoning]
// e.g. artifacts/tiny/verify/train.jsonl artifacts/tiny/rl1/model /tmp/grpo-overfit (about 4 min on 2 cores).
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { loadParamsFile, resolveProfile } from '@vthinker/engine/api';
import { curriculumTokenizer } from '../stages/training.ts';
import { initCompute } from '../vthinker/compute/setup.ts';
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
// trainGrpo keeps a seeded 16 of these for its greedy evaluation (splitSamples): the other N are the whole pool.
const EVAL = 16;
const samples = readJsonl<Sample>(trainFile).slice(0, n + EVAL);
// The default profile's params, resolved as `vthinker run` resolves them.
const defaults = resolveProfile(loadParamsFile(fileURLToPath(new URL('../params.yaml', import.meta.url)))).params as unknown as { rl2: GrpoParams; seed: number };
const params: GrpoParams = { ...defaults.rl2, lr, steps, eval_samples: EVAL, eval_per_kind: 8, mix: { [kind]: 1 }, checkpoint_every: steps };
const names = ['model', 'curve', 'eval', 'rollouts', 'sheets'] as const;
const out = Object.fromEntries(names.map((k) => [k, join(outDir, k)])) as Record<(typeof names)[number], string>;
mkdirSync(out.sheets, { recursive: true });

await trainGrpo({
  samples, tokenizer: curriculumTokenizer(), params, seed: defaults.seed, workers: 2, init, stageName: 'grpo-overfit', out,
  onProgress: (done, total, note) => console.log(`${done}/${total} ${note}`),
});
// The curve holds each step's sampled rollouts' statistics.
const accuracy = readJsonl<{ accuracy: number }>(out.curve).map((m) => 100 * m.accuracy);
const mean = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1);
console.log(`sampled accuracy on the ${n} training questions: first 5 steps ${mean(accuracy.slice(0, 5))}%, last 5 ${mean(accuracy.slice(-5))}%`);
