// What the training stages (perception, rl1, base, rl2 and the ablations) declare alike. Kept free of heavy imports:
// every stage module is loaded when the graph is built, before anything runs.
import { dir, file, json, type StageContext } from '@vthinker/engine';
import { computeFingerprint } from '../vthinker/compute/fingerprint.ts';

/** Two cores (the data-parallel gradient step), an optional GPU, a checkpoint directory, the compute stack in the key. */
export const TRAINING_STAGE = {
  resources: { cpu: 2, gpu: 'optional', memoryMb: 4096 },
  checkpoint: true,
  runtime: () => ({ compute: computeFingerprint() }),
} as const;

/** The outputs of an interactive-curriculum stage: weights, loss curve, eval report, sample rollouts, sheets. */
export const curriculumOutputs = () => ({
  model: dir('model'), curve: file('curve.jsonl'), eval: json('eval.json'), rollouts: file('rollouts.jsonl'), sheets: dir('sheets'),
});

/** The paths of the named outputs (what the training loops take as `out`). */
export function outputPaths<K extends string>(ctx: StageContext, names: readonly K[]): Record<K, string> {
  return Object.fromEntries(names.map((n) => [n, ctx.output(n)])) as Record<K, string>;
}

/**
 * Two data-parallel workers when two cores are granted and the batch splits evenly into `parts` per worker; results
 * do not depend on it beyond float rounding (the worker count is not in the key; see vthinker/train/sft.ts).
 */
export const workersFor = (ctx: StageContext, batch: number, parts = 1): number => (ctx.cpus >= 2 && batch % (2 * parts) === 0 ? 2 : 1);
