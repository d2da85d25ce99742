// Fused native kernels for the chains the policy runs most: layer norm (forward ~9 kernels, backward ~25 through
// autograd, each a pass over [rows, d]), the Adam update (~12 kernels per variable), the global gradient norm, and
// sums over leading axes (bias gradients, which stock wasm transposes first). The ops that use the new kernels are in
// ../fused-ops.ts, with the composite formulas for backends and stacks without them.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap, SumAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { fallback, type KernelLayer } from '../kernel-registry.ts';
import type { AttentionShape, NativeAddon } from '../native-addon.ts';
import { elementCount, withOutputs } from './heap.ts';

export const FUSED = {
  layerNorm: 'VtLayerNorm',
  layerNormGrad: 'VtLayerNormGrad',
  adam: 'VtAdam',
  sumSquares: 'VtSumSquares',
  attention: 'VtAttention',
  attentionGrad: 'VtAttentionGrad',
} as const;

function onHeap(backend: unknown, inputs: TensorInfo[], outShapes: number[][], body: (views: Float32Array[]) => void): TensorInfo[] {
  for (const t of inputs) if (t.dtype !== 'float32') throw new Error(`fused kernels take float32 tensors, got ${t.dtype}`);
  return withOutputs(backend, inputs, outShapes, body);
}

const numbers = (attrs: NamedAttrMap | undefined, names: readonly string[]): number[] => names.map((name) => {
  const value = attrs?.[name];
  if (typeof value !== 'number') throw new Error(`fused kernel attribute ${name} missing`);
  return value;
});

const ADAM_ATTRS = ['lr', 'beta1', 'beta2', 'epsilon', 'bc1', 'bc2', 'scale', 'weightDecay'] as const;

export function fusedWasmKernels(addon: NativeAddon): KernelLayer {
  const rowsOf = (x: TensorInfo) => elementCount(x.shape) / x.shape.at(-1)!;
  const layerNorm: KernelFunc = ({ inputs: { x, g, b }, attrs, backend }) => onHeap(backend, [x!, g!, b!],
    [[...x!.shape], [rowsOf(x!)], [rowsOf(x!)]], ([xs, gs, bs, y, mean, rstd]) =>
      addon.layerNorm(xs!, gs!, bs!, y!, mean!, rstd!, rowsOf(x!), x!.shape.at(-1)!, numbers(attrs, ['epsilon'])[0]!));
  const layerNormGrad: KernelFunc = ({ inputs: { dy, x, g, mean, rstd }, backend }) => onHeap(backend, [dy!, x!, g!, mean!, rstd!],
    [[...x!.shape], [...g!.shape], [...g!.shape]], ([dys, xs, gs, ms, rs, dx, dg, db]) =>
      addon.layerNormGrad(dys!, xs!, gs!, ms!, rs!, dx!, dg!, db!, rowsOf(x!), x!.shape.at(-1)!));
  const adam: KernelFunc = ({ inputs: { x, g, m, v }, attrs, backend }) => onHeap(backend, [x!, g!, m!, v!],
    [[...x!.shape], [...x!.shape], [...x!.shape]], ([xs, gs, ms, vs, nx, nm, nv]) =>
      addon.adam(xs!, gs!, ms!, vs!, nx!, nm!, nv!, ...(numbers(attrs, ADAM_ATTRS) as [number, number, number, number, number, number, number, number])));
  const sumSquares: KernelFunc = ({ inputs, backend }) => {
    const all = inputs as unknown as TensorInfo[];
    return onHeap(backend, all, [[]], (views) => {
      const out = views.at(-1)!;
      out[0] = views.slice(0, -1).reduce((total, xs) => total + addon.sumSquares(xs), 0);
    })[0]!;
  };
  /** [B, T, S, D, H, causal, scale] from q [B,T,D], k [B,S,D] and the attributes. */
  const attentionShape = (q: TensorInfo, k: TensorInfo, attrs: NamedAttrMap | undefined): AttentionShape => {
    const [heads, causal, scale] = numbers(attrs, ['heads', 'causal', 'scale']) as [number, number, number];
    const [b, t, d] = q.shape as [number, number, number];
    return [b, t, k.shape[1]!, d, heads, causal, scale];
  };
  // Optional inputs travel as named tensors (visible + keyImage, bias); the views come back in the same order.
  const attention: KernelFunc = ({ inputs: { q, k, v, visible, keyImage, bias }, attrs, backend }) => {
    const shape = attentionShape(q!, k!, attrs);
    const [b, t, s, , heads] = shape;
    const optional = [visible, keyImage, bias].filter((x): x is TensorInfo => x !== undefined);
    return onHeap(backend, [q!, k!, v!, ...optional], [[...q!.shape], [b, heads, t, s]], (views) => {
      const [qs, ks, vs, ...rest] = views;
      const [out, probs] = rest.splice(-2);
      const vis = visible ? rest.shift()! : null, keys = keyImage ? rest.shift()! : null, bs = bias ? rest.shift()! : null;
      addon.attention(qs!, ks!, vs!, out!, probs!, ...shape, vis, keys, bs, bias?.shape[0] ?? 1, bias?.shape[1] ?? 1);
    });
  };
  const attentionGrad: KernelFunc = ({ inputs: { dout, q, k, v, probs }, attrs, backend }) => {
    const [b, t, s, d, heads, , scale] = attentionShape(q!, k!, attrs);
    return onHeap(backend, [dout!, q!, k!, v!, probs!], [[...q!.shape], [...k!.shape], [...v!.shape]], ([dos, qs, ks, vs, ps, dq, dk, dv]) =>
      addon.attentionGrad(dos!, qs!, ks!, vs!, ps!, dq!, dk!, dv!, b, t, s, d, heads, scale));
  };
  return {
    [FUSED.attention]: () => attention,
    [FUSED.attentionGrad]: () => attentionGrad,
    [FUSED.layerNorm]: () => layerNorm,
    [FUSED.layerNormGrad]: () => layerNormGrad,
    [FUSED.adam]: () => adam,
    [FUSED.sumSquares]: () => sumSquares,
    // Reductions over a leading run of axes (bias gradients): one pass instead of stock wasm's transpose + sum.
    Sum: (next) => (args) => {
      const { x } = args.inputs;
      const { axis, keepDims } = args.attrs as unknown as SumAttrs;
      const axes = tf.util.parseAxisParam(axis, x!.shape).sort((a, b) => a - b);
      const leading = axes.length > 0 && axes.length < x!.shape.length && axes.every((a, i) => a === i);
      if (!leading || x!.dtype !== 'float32' || elementCount(x!.shape) === 0) return fallback('Sum', next)(args);
      const kept = x!.shape.slice(axes.length);
      const outShape = keepDims ? [...axes.map(() => 1), ...kept] : kept;
      return onHeap(args.backend, [x!], [outShape], ([xs, out]) => addon.sumRows(xs!, out!, elementCount(x!.shape.slice(0, axes.length)), elementCount(kept)))[0]!;
    },
  };
}
