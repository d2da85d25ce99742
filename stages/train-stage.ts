// What the training stages (perception, rl1, base, rl2 and the ablations) declare alike. Kept free of heavy imports:
// every stage module is loaded when the graph is built, before anything runs.
import { dir, file, json, type StageContext } from '@vthinker/engine';
import { offeredGpus, trainingRuntime } from '../vthinker/compute/fingerprint.ts';

/**
 * Two cores (the data-parallel gradient step), a checkpoint directory, the compute stack in the key, and a GPU:
 * optional on CPU machines; one, always, where the run offers GPUs (VTHINKER_GPUS >= 1, docs/gpu.md). Always, so
 * that the GPU the key names (trainingRuntime) is the one the stage gets: the scheduler makes a training stage
 * wait for the GPU rather than start without it, and the queue executor sends it to the `gpu` queue.
 */
export const TRAINING_STAGE = {
  resources: { cpu: 2, gpu: offeredGpus() >= 1 ? 1 : 'optional', memoryMb: 4096 },
  checkpoint: true,
  runtime: () => trainingRuntime(),
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
