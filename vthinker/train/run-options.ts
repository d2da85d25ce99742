// What every training loop (perception, cold start, GRPO) takes besides its data and params: the seed, where it
// writes, how it computes, where it checkpoints and how it reports progress.
import type { ComputeOptions } from '../compute/options.ts';

export interface TrainingRunOptions<Out> {
  seed: number;
  /** Output paths (the stage's declared outputs). */
  out: Out;
  /** Data-parallel workers for the gradient step (results do not depend on it beyond float rounding). */
  workers?: number;
  compute?: ComputeOptions;
  /** The engine's checkpoint directory for this stage key: training resumes from its latest checkpoint. */
  checkpointDir?: string;
  onProgress?: (done: number, total: number, note: string) => void;
  /** Stop after this many steps of this call (tests: a simulated kill). */
  stopAfter?: number;
}

/** The outputs of an interactive-curriculum training stage (rl1, base, rl2 and the ablations). */
export interface CurriculumOutputs {
  model: string;
  curve: string;
  eval: string;
  rollouts: string;
  sheets: string;
}
