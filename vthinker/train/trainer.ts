// The policy as a data-parallel trainer module (vthinker/compute/data-parallel.ts): every replica builds the same
// policy from the same seed (or checkpoint) and owns a ClippedAdam. Per-step settings travel inside the batch as a
// `ctl` array [B, 4] = (learning rate, clip norm, save flag, step) repeated per row, so they survive sharding; with a
// save flag, rank 0 writes the post-step state into config.checkpointDir (the loop then commits it).
import * as tf from '@tensorflow/tfjs-core';
import type { BuildTrainer, HostBatch, Trainer } from '../compute/trainer.ts';
import type { PolicyConfig } from '../model/config.ts';
import type { PolicyTensors } from '../model/batch.ts';
import { createPolicy } from '../model/policy.ts';
import { ClippedAdam, type AdamSettings } from './adam.ts';
import { restore, writeCheckpointState } from './checkpoint.ts';
import type { GrpoConfig } from '../policy/grpo.ts';
import { grpoLossTensor } from './grpo-loss.ts';
import { readable } from '../compute/webgpu.ts';

export interface PolicyTrainerConfig {
  policy: PolicyConfig;
  seed: number;
  /** Start from these weights, or from a checkpoint directory (weights + optimizer state). */
  init?: string;
  adam?: Partial<AdamSettings>;
  checkpointDir?: string;
  /** GRPO's clip and KL weight, used for batches that carry `advantage`, `oldLogp` and `refLogp` (rl2). */
  grpo?: GrpoConfig;
}

/** The extra batch arrays of a GRPO step (besides tokens, visible, images and mask = the generated tokens). */
export const GRPO_KEYS = { advantage: 'advantage', oldLogp: 'oldLogp', refLogp: 'refLogp' } as const;

export const CTL = 'ctl';

export function controlRows(rows: number, lr: number, clipNorm: number, save: boolean, step: number): HostBatch[string] {
  const data = new Float32Array(rows * 4);
  for (let i = 0; i < rows; i++) data.set([lr, clipNorm, save ? 1 : 0, step], i * 4);
  return { data, shape: [rows, 4] };
}

export const build: BuildTrainer<PolicyTrainerConfig> = (config, ctx) => {
  const policy = createPolicy(config.policy, config.seed);
  const opt = new ClippedAdam(policy.variables, config.adam);
  if (config.init) restore(config.init, policy, opt);
  let pending: { save: boolean; step: number } = { save: false, step: 0 };
  const trainer: Trainer = {
    variables: policy.variables,
    optimizer: opt,
    beforeUpdate: (grads) => opt.measureGradients(grads),
    async afterUpdate() {
      if (!pending.save || ctx.rank !== 0) return;
      if (!config.checkpointDir) throw new Error('save requested but the trainer has no checkpointDir');
      await readable([...policy.variables, ...opt.m, ...opt.v]);
      writeCheckpointState(config.checkpointDir, pending.step + 1, policy, opt);
    },
    loss(batch) {
      const ctl = batch[CTL];
      if (ctl) {
        // Made from host data and never used by a kernel: readable synchronously on every backend.
        const [lr, clip, save, step] = ctl.dataSync().slice(0, 4) as Float32Array;
        opt.learningRate = lr!;
        opt.clipNorm = clip!;
        pending = { save: save === 1, step: step! };
      }
      if (batch[GRPO_KEYS.advantage]) {
        if (!config.grpo) throw new Error('a GRPO batch reached a trainer built without a grpo config');
        const logp = policy.logProbs(batch as unknown as PolicyTensors);
        return grpoLossTensor({
          newLogp: logp,
          oldLogp: batch[GRPO_KEYS.oldLogp] as tf.Tensor2D,
          refLogp: batch[GRPO_KEYS.refLogp] as tf.Tensor2D,
          mask: batch.mask as tf.Tensor2D,
          advantage: batch[GRPO_KEYS.advantage] as tf.Tensor1D,
        }, config.grpo);
      }
      return policy.loss(batch as unknown as PolicyTensors);
    },
  };
  return trainer;
};
