// The COMPUTE.md reference CNN (146k parameters at 64x64x3: conv 16/32/32 with max-pools, dense 64, 10 classes, Adam),
// as a data-parallel trainer module. Smaller inputs make the same architecture cheap enough for tests.
import * as tf from '@tensorflow/tfjs-core';
import { rng } from '../../util/random.ts';
import type { BuildTrainer, HostBatch, Trainer } from '../trainer.ts';
import { batchRng, crossEntropy, param } from './init.ts';

export interface CnnConfig {
  seed: number;
  size: number;
  channels: number[];
  hidden: number;
  classes: number;
  learningRate: number;
}

export const referenceCnn: CnnConfig = { seed: 1, size: 64, channels: [16, 32, 32], hidden: 64, classes: 10, learningRate: 1e-3 };

export const build: BuildTrainer<CnnConfig> = (config) => {
  const r = rng(config.seed).fork('cnn');
  const convs = config.channels.map((out, i) => {
    const cin = i === 0 ? 3 : config.channels[i - 1]!;
    return { w: param(r, [3, 3, cin, out], 9 * cin), b: param(r, [out]) };
  });
  const side = config.size >> config.channels.length;
  const flat = side * side * config.channels.at(-1)!;
  const dense = { w: param(r, [flat, config.hidden], flat), b: param(r, [config.hidden]) };
  const head = { w: param(r, [config.hidden, config.classes], config.hidden), b: param(r, [config.classes]) };
  const forward = (x: tf.Tensor4D): tf.Tensor2D => {
    let h: tf.Tensor4D = x;
    for (const c of convs) h = tf.maxPool(tf.relu(tf.add(tf.conv2d(h, c.w as tf.Tensor4D, 1, 'same'), c.b)) as tf.Tensor4D, 2, 2, 'valid');
    const z = tf.relu(tf.add(tf.matMul(tf.reshape(h, [x.shape[0], flat]), dense.w), dense.b));
    return tf.add(tf.matMul(z, head.w), head.b);
  };
  const trainer: Trainer = {
    variables: [...convs.flatMap((c) => [c.w, c.b]), dense.w, dense.b, head.w, head.b],
    optimizer: tf.train.adam(config.learningRate),
    loss: (batch) => crossEntropy(forward(batch.x as tf.Tensor4D), batch.y!),
  };
  return trainer;
};

/** Images whose class is the brightest of `classes` fixed colour patterns, plus noise: learnable, seeded. */
export function cnnBatch(config: CnnConfig, step: number, batchSize: number): HostBatch {
  const r = batchRng(config.seed, step);
  const pixels = config.size * config.size * 3;
  const x = new Float32Array(batchSize * pixels);
  const y = new Int32Array(batchSize);
  for (let i = 0; i < batchSize; i++) {
    y[i] = r.int(0, config.classes - 1);
    for (let p = 0; p < pixels; p++) x[i * pixels + p] = r.normal(0, 0.5) + (p % (config.classes + 3) === y[i] ? 1 : 0);
  }
  return { x: { data: x, shape: [batchSize, config.size, config.size, 3] }, y: { data: y, shape: [batchSize] } };
}
