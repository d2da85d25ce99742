// MaxPoolGrad for wasm in plain JS on the heap. The stock wasm kernel (4.22) drops the gradient of some windows
// (e.g. the last window row of a 4x4 input pooled 2x2), so every wasm stack replaces it. Like the cpu backend and
// native/kern.c, each dy goes to the first maximum of its window in scan order (strict >).
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, MaxPoolGradAttrs } from '@tensorflow/tfjs-core';
import { fallback } from '../kernel-registry.ts';
import { heapable, withOutput } from './heap.ts';

export type PoolInfo = ReturnType<typeof tf.backend_util.computePool2DInfo>;

export function routeMaxGrad(dy: Float32Array, x: Float32Array, dx: Float32Array, p: PoolInfo): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = p;
  dx.fill(0);
  for (let b = 0; b < B; b++) {
    const base = b * H * W * C;
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * p.strideHeight - p.padInfo.top;
      for (let ow = 0; ow < OW; ow++) {
        const w0 = ow * p.strideWidth - p.padInfo.left;
        const at = ((b * OH + oh) * OW + ow) * C;
        for (let c = 0; c < C; c++) {
          let best = -Infinity, arg = -1;
          for (let h = Math.max(0, h0); h < Math.min(H, h0 + p.filterHeight); h++) {
            for (let w = Math.max(0, w0); w < Math.min(W, w0 + p.filterWidth); w++) {
              const idx = base + (h * W + w) * C + c;
              if (x[idx]! > best) { best = x[idx]!; arg = idx; }
            }
          }
          if (arg >= 0) dx[arg] += dy[at + c]!;
        }
      }
    }
  }
}

export function poolInfo(inShape: readonly number[], attrs: MaxPoolGradAttrs): PoolInfo {
  return tf.backend_util.computePool2DInfo(inShape as [number, number, number, number], attrs.filterSize, attrs.strides, 1,
    attrs.pad, attrs.dimRoundingMode);
}

/** `route` is the loop that does the work: this JS one, or the native addon's. */
export const maxPoolGradOnHeap = (route: typeof routeMaxGrad = routeMaxGrad) =>
  (next: KernelFunc | undefined): KernelFunc => (args) => {
    const { dy, input } = args.inputs;
    if (!heapable(dy!, input!)) return fallback('MaxPoolGrad', next)(args);
    const p = poolInfo(input!.shape, args.attrs as unknown as MaxPoolGradAttrs);
    return withOutput(args.backend, [...input!.shape], [dy!, input!], ([g, x, dx]) => route(g!, x!, dx!, p));
  };
