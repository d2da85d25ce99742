// Seeded parameter initialisation from our own rng, so a model is the same on every backend and in every replica.
import * as tf from '@tensorflow/tfjs-core';
import { rng, type Rng } from '../../util/random.ts';

/** He-normal weights (std sqrt(2 / fanIn)) drawn from `r`, or zeros for biases. */
export function param(r: Rng, shape: number[], fanIn = 0): tf.Variable {
  const size = shape.reduce((a, b) => a * b, 1);
  const std = fanIn > 0 ? Math.sqrt(2 / fanIn) : 0;
  return tf.variable(tf.tensor(Float32Array.from({ length: size }, () => (std ? r.normal(0, std) : 0)), shape));
}

/** Mean softmax cross-entropy of logits [N, K] against integer labels [N]. */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor): tf.Scalar {
  const oneHot = tf.oneHot(tf.reshape(tf.cast(labels, 'int32'), [-1]), logits.shape[1]);
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), -1))) as tf.Scalar;
}

/** A seeded batch stream: step n of a run always gives the same data. */
export function batchRng(seed: number, step: number): Rng {
  return rng(seed).fork(`batch/${step}`);
}
