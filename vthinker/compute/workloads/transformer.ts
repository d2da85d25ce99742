// The COMPUTE.md reference transformer (1 block, d 64, 2 heads, seq 32; embedding via gather, causal attention, MLP,
// Adam) as a data-parallel trainer module. Projections are 2-D matmuls on [B*T, D]: tfjs cannot differentiate a
// broadcast (batched x unbatched) matmul.
import * as tf from '@tensorflow/tfjs-core';
import { rng } from '../../util/random.ts';
import type { BuildTrainer, HostBatch, Trainer } from '../trainer.ts';
import { batchRng, crossEntropy, param } from './init.ts';

export interface TransformerConfig {
  seed: number;
  vocab: number;
  seq: number;
  dim: number;
  heads: number;
  learningRate: number;
}

export const referenceTransformer: TransformerConfig = { seed: 1, vocab: 128, seq: 32, dim: 64, heads: 2, learningRate: 1e-3 };

function layerNorm(x: tf.Tensor2D, gain: tf.Variable): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), gain);
}

export const build: BuildTrainer<TransformerConfig> = (c) => {
  const r = rng(c.seed).fork('transformer');
  const d = c.dim, dh = d / c.heads;
  const p = {
    embed: param(r, [c.vocab, d], d), pos: param(r, [c.seq, d], d),
    ln1: tf.variable(tf.ones([d])), qkv: param(r, [d, 3 * d], d), out: param(r, [d, d], d),
    ln2: tf.variable(tf.ones([d])), up: param(r, [d, 4 * d], d), down: param(r, [4 * d, d], 4 * d),
    head: param(r, [d, c.vocab], d),
  };
  const mask = tf.keep(tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([c.seq, c.seq]), -1, 0)), -1e9));
  const heads = (t: tf.Tensor2D, b: number) => tf.reshape(tf.transpose(tf.reshape(t, [b, c.seq, c.heads, dh]), [0, 2, 1, 3]), [b * c.heads, c.seq, dh]);
  const forward = (tokens: tf.Tensor): tf.Tensor2D => {
    const b = tokens.shape[0]!;
    const x0 = tf.reshape(tf.add(tf.gather(p.embed, tf.cast(tokens, 'int32')), p.pos), [b * c.seq, d]) as tf.Tensor2D;
    const [q, k, v] = tf.split(tf.matMul(layerNorm(x0, p.ln1), p.qkv), 3, 1) as tf.Tensor2D[];
    const scores = tf.add(tf.mul(tf.matMul(heads(q!, b), heads(k!, b), false, true), 1 / Math.sqrt(dh)), mask);
    const att = tf.matMul(tf.softmax(scores), heads(v!, b));
    const merged = tf.reshape(tf.transpose(tf.reshape(att, [b, c.heads, c.seq, dh]), [0, 2, 1, 3]), [b * c.seq, d]);
    const x1 = tf.add(x0, tf.matMul(merged, p.out)) as tf.Tensor2D;
    const x2 = tf.add(x1, tf.matMul(tf.relu(tf.matMul(layerNorm(x1, p.ln2), p.up)), p.down)) as tf.Tensor2D;
    return tf.matMul(x2, p.head);
  };
  const trainer: Trainer = {
    variables: Object.values(p),
    optimizer: tf.train.adam(c.learningRate),
    loss: (batch) => crossEntropy(forward(batch.x!), batch.y!),
  };
  return trainer;
};

/** Token sequences whose target is a fixed function of the current and previous token: learnable, seeded. */
export function transformerBatch(c: TransformerConfig, step: number, batchSize: number): HostBatch {
  const r = batchRng(c.seed, step);
  const n = batchSize * c.seq;
  const x = Int32Array.from({ length: n }, () => r.int(0, c.vocab - 1));
  const y = Int32Array.from({ length: n }, (_, i) => (x[i]! + (i % c.seq ? x[i - 1]! : 0)) % c.vocab);
  return { x: { data: x, shape: [batchSize, c.seq] }, y: { data: y, shape: [batchSize, c.seq] } };
}
