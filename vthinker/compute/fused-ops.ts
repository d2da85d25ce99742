// Ops that run as one fused kernel where the backend has it (kernels/fused.ts on wasm) and as the composite formula
// elsewhere (cpu, tfjs-node, WebGPU, and the wasm stack without fusion that bench/ compares against).
import * as tf from '@tensorflow/tfjs-core';
import { FUSED } from './kernels/fused.ts';
import { maxKernelInputs } from './webgpu.ts';

const fused = (name: string): boolean => tf.getKernel(name, tf.getBackend()) !== undefined;

const run = (name: string, inputs: tf.NamedTensorMap | tf.Tensor[], attrs: Record<string, number> = {}) =>
  tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap);

/** Layer norm over the last axis of x [rows, d] with gain g [d] and bias b [d]. */
export function layerNorm(x: tf.Tensor2D, g: tf.Tensor, b: tf.Tensor, epsilon = 1e-5): tf.Tensor2D {
  if (!fused(FUSED.layerNorm)) {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))), g), b) as tf.Tensor2D;
  }
  const norm = tf.customGrad((xs, gs, bs, save) => {
    const [y, mean, rstd] = run(FUSED.layerNorm, { x: xs as tf.Tensor, g: gs as tf.Tensor, b: bs as tf.Tensor }, { epsilon }) as tf.Tensor[];
    (save as tf.GradSaveFunc)([xs as tf.Tensor, gs as tf.Tensor, mean!, rstd!]);
    return {
      value: y!,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sg, sm, sr] = saved;
        return run(FUSED.layerNormGrad, { dy, x: sx!, g: sg!, mean: sm!, rstd: sr! }) as tf.Tensor[];
      },
    };
  });
  return norm(x, g, b) as tf.Tensor2D;
}

export interface AdamStep {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Bias corrections 1 - beta^t. */
  bc1: number;
  bc2: number;
  /** Gradient clipping scale (1: none). */
  scale: number;
  /** Decoupled weight decay for this variable (0 for none). */
  weightDecay: number;
}

/** One AdamW update of a variable: the new (x, m, v). */
export function adamStep(x: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: AdamStep): [tf.Tensor, tf.Tensor, tf.Tensor] {
  if (fused(FUSED.adam)) return run(FUSED.adam, { x, g, m, v }, { ...s }) as [tf.Tensor, tf.Tensor, tf.Tensor];
  return tf.tidy(() => {
    const gs = s.scale === 1 ? g : tf.mul(g, s.scale);
    const nm = tf.add(tf.mul(m, s.beta1), tf.mul(gs, 1 - s.beta1));
    const nv = tf.add(tf.mul(v, s.beta2), tf.mul(tf.square(gs), 1 - s.beta2));
    let update = tf.div(tf.div(nm, s.bc1), tf.add(tf.sqrt(tf.div(nv, s.bc2)), s.epsilon));
    if (s.weightDecay > 0) update = tf.add(update, tf.mul(x, s.weightDecay));
    return [tf.sub(x, tf.mul(update, s.lr)), nm, nv];
  });
}

/** Σ of every element squared over all the tensors (a scalar). */
export function sumOfSquares(xs: readonly tf.Tensor[]): tf.Scalar {
  if (fused(FUSED.sumSquares)) return run(FUSED.sumSquares, [...xs]) as tf.Scalar;
  return tf.tidy(() => addAll(xs.map((g) => tf.sum(tf.square(g)))) as tf.Scalar);
}

/**
 * tf.addN in chunks of the most inputs one kernel may take (webgpu.ts maxKernelInputs: 7 on WebGPU, where a
 * single AddN over the policy's 60-odd gradients fails); one AddN, as before, on backends without a limit.
 */
export function addAll(xs: tf.Tensor[]): tf.Tensor {
  const most = maxKernelInputs();
  if (xs.length <= most) return tf.addN(xs);
  const partial: tf.Tensor[] = [];
  for (let i = 0; i < xs.length; i += most) partial.push(tf.addN(xs.slice(i, i + most)));
  return addAll(partial);
}

export interface AttentionMasks {
  /** Query t sees keys j <= t + S - T (self-attention over a prefix of S - T cached keys when T < S). */
  causal?: boolean;
  /** float32 [B, T] and [S]: key j is seen at (b, t) iff keyImage[j] < visible[b, t] (cross-attention to images). */
  visible?: tf.Tensor;
  keyImage?: tf.Tensor;
  /** Added to the scores of every head, [B|1, T|1, S] (e.g. -1e9 on the padding of shorter prompts). */
  bias?: tf.Tensor;
}

/** Scaled dot-product attention with `heads` heads interleaved in the last axis: q [B,T,D], k and v [B,S,D] -> [B,T,D]. */
export function attention(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, heads: number, masks: AttentionMasks): tf.Tensor3D {
  const scale = 1 / Math.sqrt(q.shape[2] / heads);
  const visible = masks.visible && tf.cast(masks.visible, 'float32');
  const keyImage = masks.keyImage && tf.cast(masks.keyImage, 'float32');
  if (!fused(FUSED.attention)) return compositeAttention(q, k, v, heads, scale, masks.causal ?? false, visible, keyImage, masks.bias);
  const attrs = { heads, causal: masks.causal ? 1 : 0, scale };
  const op = tf.customGrad((qs, ks, vs, save) => {
    const inputs: tf.NamedTensorMap = { q: qs as tf.Tensor, k: ks as tf.Tensor, v: vs as tf.Tensor };
    if (visible) Object.assign(inputs, { visible, keyImage: keyImage! });
    if (masks.bias) inputs.bias = masks.bias;
    const [out, probs] = run(FUSED.attention, inputs, attrs) as tf.Tensor[];
    (save as tf.GradSaveFunc)([qs as tf.Tensor, ks as tf.Tensor, vs as tf.Tensor, probs!]);
    return {
      value: out!,
      gradFunc: (dout: tf.Tensor, [sq, sk, sv, sp]: tf.Tensor[]) =>
        run(FUSED.attentionGrad, { dout, q: sq!, k: sk!, v: sv!, probs: sp! }, attrs) as tf.Tensor[],
    };
  });
  return op(q, k, v) as tf.Tensor3D;
}

/** The same attention from tfjs ops: heads split by transposes, masks as an additive -1e9 bias before the softmax. */
function compositeAttention(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, heads: number, scale: number, causal: boolean,
  visible: tf.Tensor | undefined, keyImage: tf.Tensor | undefined, extra: tf.Tensor | undefined): tf.Tensor3D {
  const [b, t, d] = q.shape;
  const s = k.shape[1], dh = d / heads;
  const split = (x: tf.Tensor, len: number) => tf.reshape(tf.transpose(tf.reshape(x, [b, len, heads, dh]), [0, 2, 1, 3]), [b * heads, len, dh]);
  let bias: tf.Tensor = tf.zeros([1, 1, 1, 1]);
  if (causal) {
    const allowed = tf.linalg.bandPart(tf.ones([t, s]), -1, s - t);
    bias = tf.add(bias, tf.reshape(tf.mul(tf.sub(1, allowed), NEG), [1, 1, t, s]));
  }
  if (visible && keyImage) {
    // Whole numbers: keyImage < visible iff visible - keyImage > 0, a Step of a broadcast Sub (wasm's broadcast
    // Less is ~50x slower).
    const seen = tf.step(tf.sub(tf.reshape(visible, [b, t, 1]), tf.reshape(keyImage, [1, 1, s])));
    bias = tf.add(bias, tf.reshape(tf.mul(tf.sub(1, seen), NEG), [b, 1, t, s]));
  }
  if (extra) bias = tf.add(bias, tf.reshape(extra, [extra.shape[0]!, 1, extra.shape[1]!, s]));
  const scores = tf.reshape(tf.mul(tf.matMul(split(q, t), split(k, s), false, true), scale), [b, heads, t, s]);
  const weights = tf.reshape(tf.softmax(tf.add(scores, bias)), [b * heads, t, s]);
  const out = tf.matMul(weights, split(v, s));
  return tf.reshape(tf.transpose(tf.reshape(out, [b, heads, t, dh]), [0, 2, 1, 3]), [b, t, d]);
}

const NEG = -1e9;
