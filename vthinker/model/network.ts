// The policy network: a CNN turns each image into a grid of d-dim tokens (content + content-gated 2-D position code
// + image-index embedding); a decoder-only causal transformer reads the token sequence, and every layer cross-attends to the
// image tokens of the images visible at each position (image k is visible where visible[b, t] > k). A learned
// "null" memory token is always visible, so positions that see no image still have a well-defined softmax.
//
// tfjs notes: projections are 2-D matmuls on [rows, d] (a broadcast batched x unbatched matmul has a wrong gradient
// shape in tfjs); only functional ops (tf.reshape(t)), since chained ops are not registered in this Node build.
import * as tf from '@tensorflow/tfjs-core';
import { attention, layerNorm, type AttentionMasks } from '../compute/fused-ops.ts';
import { gridSide, type PolicyConfig } from './config.ts';
import type { Params } from './params.ts';

export interface NetInputs {
  /** int32 [B, T] */
  tokens: tf.Tensor;
  /** int32 or float32 [B, T]: how many images each position sees. */
  visible: tf.Tensor;
  /** float32 [B, K, S, S, 3], 1 <= K <= maxImages. */
  images: tf.Tensor;
}

/**
 * Image memory: [B, M, d] with M = K*G (+ K pooled tokens with `pooledToken`) + 1: the grid tokens of each image,
 * each image's pooled token, then the null token; and each key's image.
 */
export interface Memory {
  tokens: tf.Tensor3D;
  /** float32 [M]: the image index of each memory token, -1 for the always-visible null token. */
  keyImage: tf.Tensor1D;
}

function dense(x: tf.Tensor2D, w: tf.Tensor, b?: tf.Tensor): tf.Tensor2D {
  const y = tf.matMul(x, w as tf.Tensor2D) as tf.Tensor2D;
  return b ? (tf.add(y, b) as tf.Tensor2D) : y;
}

// The constant tensors below are cached per backend: a tensor lives on the backend that made it, and one made on
// WebGPU cannot be moved to another backend (that reads it synchronously) when a process switches backends.
const coordCache = new Map<string, tf.Tensor4D>();
/** x and y in [-1, 1] as two channels [1, S, S, 2]; kept for the process (a few KB). */
function coordChannels(side: number): tf.Tensor4D {
  const key = `${tf.getBackend()}/${side}`;
  let t = coordCache.get(key);
  if (!t || t.isDisposed) {
    const data = new Float32Array(side * side * 2);
    for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) {
      data[(y * side + x) * 2] = (2 * x + 1) / side - 1;
      data[(y * side + x) * 2 + 1] = (2 * y + 1) / side - 1;
    }
    t = tf.keep(tf.tensor4d(data, [1, side, side, 2]));
    coordCache.set(key, t);
  }
  return t;
}

const codeCache = new Map<string, tf.Tensor2D>();
/**
 * A fixed 2-D sinusoidal code of each grid cell [G*G, d] (first half of the dims for x, second for y), added to the
 * learned position embedding: values carry a clean, smooth position signal from step 0, so reading a coordinate
 * off an attended cell does not wait for a learned embedding to organise itself.
 */
function gridCode(g: number, d: number): tf.Tensor2D {
  const key = `${tf.getBackend()}/${g}x${d}`;
  let t = codeCache.get(key);
  if (!t || t.isDisposed) {
    const data = new Float32Array(g * g * d), half = d / 2, pairs = Math.floor(half / 2);
    for (let cy = 0; cy < g; cy++) for (let cx = 0; cx < g; cx++) {
      const row = (cy * g + cx) * d;
      for (let f = 0; f < pairs; f++) {
        const w = (Math.PI / g) * 2 ** (f * Math.log2(g) / Math.max(1, pairs - 1));
        data[row + 2 * f] = Math.sin(w * (cx + 0.5));
        data[row + 2 * f + 1] = Math.cos(w * (cx + 0.5));
        data[row + half + 2 * f] = Math.sin(w * (cy + 0.5));
        data[row + half + 2 * f + 1] = Math.cos(w * (cy + 0.5));
      }
    }
    t = tf.keep(tf.tensor2d(data, [g * g, d]));
    codeCache.set(key, t);
  }
  return t;
}

export function encodeImages(c: PolicyConfig, p: Params, images: tf.Tensor): Memory {
  const [b, k, s] = images.shape as number[];
  if (k! > c.maxImages) throw new Error(`${k} images per example, the policy takes at most ${c.maxImages}`);
  // Ink on a zero background: blank regions then give identical, bias-only features and marks stand out.
  let h = tf.sub(1, tf.reshape(images, [b! * k!, s!, s!, 3])) as tf.Tensor4D;
  if (c.coordChannels) h = tf.concat([h, tf.tile(coordChannels(s!), [b! * k!, 1, 1, 1])], 3);
  c.convChannels.forEach((_, i) => {
    h = tf.relu(tf.add(tf.conv2d(h, p.get(`conv${i}/w`) as tf.Tensor4D, c.convStrides[i]!, 'same'), p.get(`conv${i}/b`))) as tf.Tensor4D;
  });
  const g = gridSide(c), gg = g * g, d = c.dim;
  const cout = c.convChannels.at(-1)!;
  const feat = tf.reshape(h, [b! * k! * gg, cout]) as tf.Tensor2D;
  // Position enters multiplicatively (content-gated): a blank cell (zero features) carries no position, a marked cell
  // carries its own. With a purely additive position code, the difference a mark makes is position-independent and
  // even uniform attention (the state at initialisation) leaks no "where" signal, so training stalls at chance.
  const code = tf.reshape(tf.add(p.get('img/pos'), gridCode(g, d)), [1, 1, gg, d]);
  const content = tf.reshape(dense(feat, p.get('img/proj')), [b!, k!, gg, d]);
  const gate = tf.reshape(dense(feat, p.get('img/gate')), [b!, k!, gg, d]);
  let grid = tf.add(content, tf.mul(gate, code));
  const index = tf.reshape(tf.slice(p.get('img/index'), [0, 0], [k!, d]), [1, k!, 1, d]);
  grid = tf.add(grid, index);
  const parts: tf.Tensor[] = [tf.reshape(grid, [b!, k! * gg, d])];
  const keys = Array.from({ length: k! * gg }, (_, i) => Math.floor(i / gg));
  if (c.pooledToken) {
    // Mean and max over each image's grid cells: the mean counts (it grows with the number of marked cells), the
    // max detects (any cell with the feature). No position code: this token says how much, the grid says where.
    const cells = tf.reshape(feat, [b! * k!, gg, cout]);
    const pooled = tf.concat([tf.mean(cells, 1), tf.max(cells, 1)], 1) as tf.Tensor2D;
    parts.push(tf.reshape(tf.add(tf.reshape(dense(pooled, p.get('img/pool')), [b!, k!, 1, d]), index), [b!, k!, d]));
    keys.push(...Array.from({ length: k! }, (_, i) => i));
  }
  parts.push(tf.tile(tf.reshape(p.get('img/null'), [1, 1, d]), [b!, 1, 1]));
  keys.push(-1);
  return { tokens: tf.concat(parts, 1) as tf.Tensor3D, keyImage: tf.tensor1d(keys, 'float32') };
}

/** One layer's keys and values [B, L, d] (heads side by side in d): its self-attention cache or its cross keys. */
export type KeysValues = { k: tf.Tensor3D; v: tf.Tensor3D };

/** Token plus position embeddings as [B*T, d]; `pos` broadcasts against [B, T, d]. */
export function embed(c: PolicyConfig, p: Params, tokens: tf.Tensor, pos: tf.Tensor): tf.Tensor2D {
  const [b, t] = tokens.shape as [number, number];
  return tf.reshape(tf.add(tf.gather(p.get('tok/embed'), tf.cast(tokens, 'int32')), pos), [b * t, c.dim]);
}

/** Each layer's cross-attention keys and values of the image memory (a function of the images alone). */
export function crossKeysValues(c: PolicyConfig, p: Params, mem: Memory): KeysValues[] {
  const [b, m, d] = mem.tokens.shape;
  const memFlat = tf.reshape(mem.tokens, [b * m, d]) as tf.Tensor2D;
  return Array.from({ length: c.layers }, (_, l) => {
    // No layer norm on the image memory: normalising each memory token separately gives blank cells the same scale
    // as marked ones, which drowned the marks (measured: 1-point location loss 1.38 after 1150 steps with it, 0.79
    // after 500 without).
    const [ck, cv] = tf.split(dense(memFlat, p.get(`layer${l}/cross/kv`)), 2, 1);
    return { k: tf.reshape(ck!, [b, m, d]), v: tf.reshape(cv!, [b, m, d]) };
  });
}

/** Decoder layer l; see decoderStack. */
function decoderLayer(
  c: PolicyConfig, p: Params, l: number, x: tf.Tensor2D, selfMasks: AttentionMasks, cross: KeysValues, crossMask: AttentionMasks, past?: KeysValues,
): { x: tf.Tensor2D; kv: KeysValues } {
  const b = cross.k.shape[0], t = x.shape[0] / b, d = c.dim;
  const q = (n: string) => p.get(`layer${l}/${n}`);
  const rows = (y: tf.Tensor) => tf.reshape(y, [b, t, d]) as tf.Tensor3D;
  const flat = (y: tf.Tensor) => tf.reshape(y, [b * t, d]) as tf.Tensor2D;
  const [qs, ks, vs] = tf.split(dense(layerNorm(x, q('ln1/g'), q('ln1/b')), q('self/qkv')), 3, 1);
  const kv: KeysValues = past
    ? { k: tf.concat([past.k, rows(ks!)], 1), v: tf.concat([past.v, rows(vs!)], 1) }
    : { k: rows(ks!), v: rows(vs!) };
  const self = attention(rows(qs!), kv.k, kv.v, c.heads, selfMasks);
  x = tf.add(x, dense(flat(self), q('self/out')));
  const cq = dense(layerNorm(x, q('ln2/g'), q('ln2/b')), q('cross/q'));
  x = tf.add(x, dense(flat(attention(rows(cq), cross.k, cross.v, c.heads, crossMask)), q('cross/out')));
  const up = tf.relu(dense(layerNorm(x, q('ln3/g'), q('ln3/b')), q('mlp/up'), q('mlp/upb')));
  return { x: tf.add(x, dense(up, q('mlp/down'), q('mlp/downb'))), kv };
}

/**
 * The decoder over T new positions of each of B sequences, x [B*T, d] (embedded): hidden states [B*T, d] after the
 * final layer norm, and each layer's self keys/values of all positions. `past` (incremental decoding): each layer's
 * keys/values of earlier positions, attended to before the new ones, causally (query t sees keys up to past + t)
 * and through `selfMasks.bias` (e.g. a prompt's padding). `cross` is crossKeysValues of the memory.
 */
export function decoderStack(
  c: PolicyConfig, p: Params, x: tf.Tensor2D, selfMasks: AttentionMasks, cross: readonly KeysValues[], crossMask: AttentionMasks, past?: readonly KeysValues[],
): { h: tf.Tensor2D; kv: KeysValues[] } {
  const kv: KeysValues[] = [];
  for (let l = 0; l < c.layers; l++) {
    const out = decoderLayer(c, p, l, x, { ...selfMasks, causal: true }, cross[l]!, crossMask, past?.[l]);
    x = out.x;
    kv.push(out.kv);
  }
  return { h: layerNorm(x, p.get('out/ln/g'), p.get('out/ln/b')), kv };
}

/**
 * Whole sequences [B, T] at positions 0..T-1 with a causal mask: decoderStack's hidden states and keys/values.
 * `keyImage` and `cross` are the image memory's (Memory.keyImage, crossKeysValues).
 */
export function decode(
  c: PolicyConfig, p: Params, tokens: tf.Tensor, visible: tf.Tensor, keyImage: tf.Tensor1D, cross: readonly KeysValues[],
): { h: tf.Tensor2D; kv: KeysValues[] } {
  const t = tokens.shape[1]!;
  if (t > c.maxSeq) throw new Error(`sequence of ${t} tokens, the policy takes at most ${c.maxSeq}`);
  const x = embed(c, p, tokens, tf.slice(p.get('tok/pos'), [0, 0], [t, c.dim]));
  return decoderStack(c, p, x, {}, cross, { keyImage, visible });
}

/** Next-token logits [rows, V] of final hidden states [rows, d]. */
export const head = (p: Params, h: tf.Tensor2D): tf.Tensor2D => dense(h, p.get('out/head'), p.get('out/bias'));

/** Logits [B, T, V]: position t scores the token at t+1. */
export function forwardLogits(c: PolicyConfig, p: Params, inp: NetInputs): tf.Tensor3D {
  const [b, t] = inp.tokens.shape as [number, number];
  const mem = encodeImages(c, p, inp.images);
  const { h } = decode(c, p, inp.tokens, inp.visible, mem.keyImage, crossKeysValues(c, p, mem));
  return tf.reshape(head(p, h), [b, t, c.vocab]);
}
