// Next-token logits for batched generation (policy.ts `generate`), two ways over the same network functions.
// cachedDecoder, what generation runs: the image memory's cross-attention keys/values are computed once, one prefill
// pass over the prompts keeps every layer's self-attention keys/values, then each new token is one decoder step over
// its own position alone, so a token costs the same whatever the prefix length.
// recomputeDecoder, the path before the cache: every token re-runs the decoder over the whole prefix and re-projects
// the memory. Kept as the reference the cache is tested against and the baseline of bench/generation.ts.
import * as tf from '@tensorflow/tfjs-core';
import type { PolicyHostBatch } from './batch.ts';
import type { PolicyConfig } from './config.ts';
import { crossKeysValues, decode, decoderStack, embed, encodeImages, head, type KeysValues, type Memory } from './network.ts';
import type { Params } from './params.ts';

export interface StepDecoder {
  /**
   * Next-token logits [active.length * vocab] (row-major) of the sequences `active` (prompt indices, ascending),
   * whose tokens and visible counts so far are seqs[i] and vis[i]. The first call sees the prompts; every later call
   * a subset of the previous call's sequences, each exactly one token longer.
   */
  next(active: readonly number[], seqs: readonly (readonly number[])[], vis: readonly (readonly number[])[]): Float32Array;
  dispose(): void;
}

/** The attention bias of a padding slot: after the softmax its weight is exactly 0. */
const PADDING = -1e9;

/** A decoder over the prompts' collated images [B, K, S, S, 3]. */
export type DecoderFactory = (c: PolicyConfig, p: Params, images: PolicyHostBatch['images']) => StepDecoder;

/** The images' memory (kept: the decoder disposes it). */
const memoryOf = (c: PolicyConfig, p: Params, images: PolicyHostBatch['images']): Memory =>
  tf.tidy(() => ({ ...encodeImages(c, p, tf.tensor(images.data, images.shape)) }));

const gatherRows = (kv: readonly KeysValues[], rows: tf.Tensor1D): KeysValues[] =>
  kv.map(({ k, v }) => ({ k: tf.gather(k, rows), v: tf.gather(v, rows) }));

const readLogits = (logits: tf.Tensor): Float32Array => {
  const values = logits.dataSync() as Float32Array;
  logits.dispose();
  return values;
};

/**
 * One full decoder pass over the active sequences so far, right-padded to the longest (tokens and visible 0 there,
 * behind every real position of the causal mask): logits at each sequence's own last position, and the keys/values.
 */
function fullPass(
  c: PolicyConfig, p: Params, keyImage: tf.Tensor1D, cross: readonly KeysValues[],
  active: readonly number[], seqs: readonly (readonly number[])[], vis: readonly (readonly number[])[],
): { logits: tf.Tensor2D; kv: KeysValues[] } {
  const a = active.length, len = Math.max(...active.map((i) => seqs[i]!.length));
  const tokens = new Int32Array(a * len), visible = new Int32Array(a * len), last = new Int32Array(a);
  active.forEach((i, r) => {
    if (seqs[i]!.length === 0) throw new Error(`prompt ${i} is empty: generation continues a prompt of at least one token`);
    tokens.set(seqs[i]!, r * len);
    visible.set(vis[i]!, r * len);
    last[r] = r * len + seqs[i]!.length - 1;
  });
  const { h, kv } = decode(c, p, tf.tensor2d(tokens, [a, len], 'int32'), tf.tensor2d(visible, [a, len], 'int32'), keyImage, cross);
  return { logits: head(p, tf.gather(h, tf.tensor1d(last, 'int32'))), kv };
}

export const cachedDecoder: DecoderFactory = (c, p, images) => {
  const { keyImage, cross: allCross } = tf.tidy(() => {
    const mem = memoryOf(c, p, images);
    return { keyImage: mem.keyImage, cross: crossKeysValues(c, p, mem) };
  });
  let cross = allCross;
  let self: KeysValues[] | undefined;
  /** The prompt index of each cache row. */
  let rows = Array.from({ length: images.shape[0]! }, (_, i) => i);
  /** By prompt index: its length; the prefill's padded length (cache slots below it hold prompt or padding). */
  const promptLen: number[] = [];
  let prefillLen = 0;

  /** Keeps the cache rows of `active`, a subset of `rows`: sequences that finished leave. */
  const narrow = (active: readonly number[]) => {
    if (active.length === rows.length) return;
    const kept = tf.tidy(() => {
      const index = tf.tensor1d(active.map((i) => rows.indexOf(i)), 'int32');
      return { cross: gatherRows(cross, index), self: self && gatherRows(self, index) };
    });
    tf.dispose([cross, self ?? []]);
    ({ cross, self } = kept);
    rows = [...active];
  };

  /** One decoder step over each active sequence's newest token, at position = its length - 1. */
  const step = (active: readonly number[], seqs: readonly (readonly number[])[], vis: readonly (readonly number[])[], past: KeysValues[]) => tf.tidy(() => {
    const a = active.length, slots = past[0]!.k.shape[1] + 1;
    const tokens = tf.tensor2d(Int32Array.from(active, (i) => seqs[i]!.at(-1)!), [a, 1], 'int32');
    const positions = tf.tensor1d(Int32Array.from(active, (i) => seqs[i]!.length - 1), 'int32');
    const visible = tf.tensor2d(Int32Array.from(active, (i) => vis[i]!.at(-1)!), [a, 1], 'int32');
    // A row's slots: its prompt, padding up to the longest prompt (never attended), then one per new token.
    const padding = new Float32Array(a * slots);
    active.forEach((i, r) => {
      if (seqs[i]!.length !== promptLen[i]! + slots - prefillLen) throw new Error(`sequence ${i} did not grow by one token since the last step`);
      padding.fill(PADDING, r * slots + promptLen[i]!, r * slots + prefillLen);
    });
    const x = embed(c, p, tokens, tf.reshape(tf.gather(p.get('tok/pos'), positions), [a, 1, c.dim]));
    const bias = tf.tensor3d(padding, [a, 1, slots]);
    const { h, kv } = decoderStack(c, p, x, { bias }, cross, { keyImage, visible }, past);
    return { logits: head(p, h), kv };
  });

  return {
    next(active, seqs, vis) {
      narrow(active);
      if (!self) {
        for (const i of active) promptLen[i] = seqs[i]!.length;
        prefillLen = Math.max(...active.map((i) => promptLen[i]!));
      }
      const out = self ? step(active, seqs, vis, self) : tf.tidy(() => fullPass(c, p, keyImage, cross, active, seqs, vis));
      tf.dispose(self ?? []);
      self = out.kv;
      return readLogits(out.logits);
    },
    dispose: () => tf.dispose([keyImage, cross, self ?? []]),
  };
};

export const recomputeDecoder: DecoderFactory = (c, p, images) => {
  const mem = memoryOf(c, p, images);
  const b = images.shape[0]!;
  return {
    next: (active, seqs, vis) => readLogits(tf.tidy(() => {
      const tokens = active.length === b ? mem.tokens : tf.gather(mem.tokens, tf.tensor1d(Int32Array.from(active), 'int32'));
      return fullPass(c, p, mem.keyImage, crossKeysValues(c, p, { tokens, keyImage: mem.keyImage }), active, seqs, vis).logits;
    })),
    dispose: () => tf.dispose([mem.tokens, mem.keyImage]),
  };
};
