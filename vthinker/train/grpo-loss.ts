// GRPO's loss as a differentiable tfjs function of the policy's per-token log-probabilities: the tensor twin of
// policy/grpo.ts (the plain-array reference it is tested against, value and gradient). Same normalisation: mean over
// each sequence's masked tokens, then over the sequences with at least one.
import * as tf from '@tensorflow/tfjs-core';
import type { GrpoConfig } from '../policy/grpo.ts';

export interface GrpoTensors {
  /** log p of the taken tokens under the policy being trained, [B, T] (differentiable). */
  newLogp: tf.Tensor2D;
  /** ... under the policy that sampled them, [B, T] (constant). */
  oldLogp: tf.Tensor2D;
  /** ... under the frozen reference policy, [B, T] (constant). */
  refLogp: tf.Tensor2D;
  /** 1 where the model wrote the token, [B, T]. */
  mask: tf.Tensor2D;
  /** One advantage per sequence, [B]. */
  advantage: tf.Tensor1D;
}

export function grpoLossTensor(t: GrpoTensors, config: GrpoConfig): tf.Scalar {
  return tf.tidy(() => {
    const [b] = t.mask.shape;
    const adv = tf.reshape(t.advantage, [b, 1]);
    const ratio = tf.exp(tf.sub(t.newLogp, t.oldLogp));
    const clipped = tf.clipByValue(ratio, 1 - config.clip, 1 + config.clip);
    const surrogate = tf.minimum(tf.mul(ratio, adv), tf.mul(clipped, adv));
    const d = tf.sub(t.refLogp, t.newLogp);
    const k3 = tf.sub(tf.sub(tf.exp(d), d), 1);
    const perToken = tf.add(tf.neg(surrogate), tf.mul(config.klWeight, k3));
    const count = tf.sum(t.mask, 1);
    const has = tf.cast(tf.greater(count, 0), 'float32');
    const perSeq = tf.div(tf.sum(tf.mul(perToken, t.mask), 1), tf.maximum(count, 1));
    return tf.div(tf.sum(tf.mul(perSeq, has)), tf.maximum(tf.sum(has), 1)) as tf.Scalar;
  });
}
