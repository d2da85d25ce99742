// The policy's own input format, independent of any tokenizer or trajectory module: token ids, a loss mask, how
// many images each token sees, and the images. Adapters elsewhere turn trajectories into PolicyExamples.
import * as tf from '@tensorflow/tfjs-core';
import type { HostBatch } from '../compute/trainer.ts';
import type { PolicyConfig } from './config.ts';

export interface PolicyExample {
  /** Token ids, at most config.maxSeq. */
  tokens: ArrayLike<number>;
  /** Per token: 1 where the token is a training target (predicted from the tokens before it), else 0. Default: none. */
  lossMask?: ArrayLike<number>;
  /** Per token: how many of `images` the model sees at that position (image k becomes visible after its <image> token). */
  visible: ArrayLike<number>;
  /** Images in order, each side*side*3 floats in [0, 1] (toModelInput). */
  images: readonly Float32Array[];
}

/** Collated, right-padded arrays (pad token 0, mask 0). Names are the HostBatch keys. */
export type PolicyHostBatch = HostBatch & {
  tokens: { data: Int32Array; shape: number[] };
  mask: { data: Float32Array; shape: number[] };
  visible: { data: Int32Array; shape: number[] };
  images: { data: Float32Array; shape: number[] };
};

export interface PolicyTensors {
  tokens: tf.Tensor;
  mask?: tf.Tensor;
  visible: tf.Tensor;
  images: tf.Tensor;
}

export interface CollateOptions {
  /** Pad every sequence to this length (default: the longest in the batch). */
  seqLen?: number;
  /** Pad every example to this many images (default: the most in the batch, at least 1). */
  numImages?: number;
}

export function collate(c: PolicyConfig, examples: readonly PolicyExample[], opts: CollateOptions = {}): PolicyHostBatch {
  const b = examples.length;
  const t = opts.seqLen ?? Math.max(1, ...examples.map((e) => e.tokens.length));
  const k = opts.numImages ?? Math.max(1, ...examples.map((e) => e.images.length));
  const px = c.imageSide * c.imageSide * 3;
  if (t > c.maxSeq) throw new Error(`sequence length ${t} exceeds maxSeq ${c.maxSeq}`);
  if (k > c.maxImages) throw new Error(`${k} images exceed maxImages ${c.maxImages}`);
  const tokens = new Int32Array(b * t), mask = new Float32Array(b * t), visible = new Int32Array(b * t);
  const images = new Float32Array(b * k * px);
  examples.forEach((e, i) => {
    const n = e.tokens.length;
    if (n > t) throw new Error(`example ${i} has ${n} tokens, more than ${t}`);
    if (e.visible.length !== n || (e.lossMask && e.lossMask.length !== n)) throw new Error(`example ${i}: tokens, visible and lossMask lengths differ`);
    if (e.images.length > k) throw new Error(`example ${i} has ${e.images.length} images, more than ${k}`);
    for (let j = 0; j < n; j++) {
      const id = e.tokens[j]!;
      if (!Number.isInteger(id) || id < 0 || id >= c.vocab) throw new Error(`example ${i}: token ${id} outside vocab ${c.vocab}`);
      tokens[i * t + j] = id;
      mask[i * t + j] = e.lossMask ? e.lossMask[j]! : 0;
      visible[i * t + j] = Math.min(e.visible[j]!, e.images.length);
    }
    e.images.forEach((img, j) => {
      if (img.length !== px) throw new Error(`example ${i} image ${j}: ${img.length} floats, expected ${px}`);
      images.set(img, (i * k + j) * px);
    });
  });
  return {
    tokens: { data: tokens, shape: [b, t] },
    mask: { data: mask, shape: [b, t] },
    visible: { data: visible, shape: [b, t] },
    images: { data: images, shape: [b, k, c.imageSide, c.imageSide, 3] },
  };
}

/** Host arrays or tensors to tensors (the caller disposes, or runs inside tf.tidy). */
export function asTensors(batch: PolicyTensors | HostBatch): PolicyTensors {
  const get = (name: string): tf.Tensor | undefined => {
    const v = (batch as Record<string, unknown>)[name];
    if (v === undefined) return undefined;
    if (v instanceof tf.Tensor) return v;
    const h = v as { data: Float32Array | Int32Array; shape: number[] };
    return tf.tensor(h.data, h.shape, h.data instanceof Int32Array ? 'int32' : 'float32');
  };
  const need = (name: string) => get(name) ?? (() => { throw new Error(`batch lacks "${name}"`); })();
  return { tokens: need('tokens'), mask: get('mask'), visible: need('visible'), images: need('images') };
}
