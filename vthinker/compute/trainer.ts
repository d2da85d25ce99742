// The contract between a training loop and data-parallel replicas: a module that builds the model and its loss.
import type * as tf from '@tensorflow/tfjs-core';

export interface ReplicaContext {
  /** 0..world-1: use it to seed per-replica randomness such as dropout (weights must NOT depend on it). */
  rank: number;
  world: number;
}

export interface Trainer {
  /** Trainable variables, built identically (same seed) in every replica, with unique names. */
  variables: tf.Variable[];
  /** Each replica owns one; identical averaged gradients keep every replica's weights bit-identical. */
  optimizer: tf.Optimizer;
  /** The loss of one shard; a mean over its rows, so averaging equal shards gives the full-batch gradient. */
  loss(batch: Record<string, tf.Tensor>): tf.Scalar;
  /**
   * Runs between the gradients and the update, and after the update: where a trainer reads tensors (a gradient
   * norm, a checkpoint), since GPU data can only be read asynchronously (webgpu.ts readable()).
   */
  beforeUpdate?(grads: tf.NamedTensorMap): Promise<void>;
  afterUpdate?(): Promise<void>;
}

/** A trainer module exports `build`; data-parallel workers import it by path. */
export type BuildTrainer<Config> = (config: Config, ctx: ReplicaContext) => Trainer | Promise<Trainer>;

/** One batch on the host: named arrays whose first dimension is the batch (split into equal shards). */
export type HostBatch = Record<string, { data: Float32Array | Int32Array; shape: number[] }>;

export function shardOf(batch: HostBatch, rank: number, world: number): HostBatch {
  const out: HostBatch = {};
  for (const [name, { data, shape }] of Object.entries(batch)) {
    const rows = shape[0]!;
    if (rows % world !== 0) {
      throw new Error(`batch "${name}" has ${rows} rows, not divisible by ${world} workers: shards must be equal for the averaged gradient to be the full-batch one`);
    }
    const per = rows / world, rowSize = data.length / rows;
    out[name] = { data: data.slice(rank * per * rowSize, (rank + 1) * per * rowSize), shape: [per, ...shape.slice(1)] };
  }
  return out;
}
