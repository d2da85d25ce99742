// Native OpenBLAS kernels on the wasm backend (COMPUTE.md §4, ~9x CNN / ~5x transformer training): the addon reads
// and writes the wasm heap in place (heap.ts), so there are no copies. Anything not float32 / NHWC / dilation 1
// goes to the kernel below.
import * as tf from '@tensorflow/tfjs-core';
import type {
  BatchMatMulAttrs, Conv2DAttrs, Conv2DBackpropFilterAttrs, Conv2DBackpropInputAttrs, KernelFunc, TensorInfo,
} from '@tensorflow/tfjs-core';
import type { NativeAddon } from '../native-addon.ts';
import { fallback, type KernelLayer } from '../kernel-registry.ts';
import { convArgs, convInfo, type ConvAttrs, type ConvInfo } from './geometry.ts';
import { elementCount, heapable, withOutput } from './heap.ts';
import { maxPoolGradOnHeap } from './max-pool-grad.ts';



type ConvCall = 'convFwd' | 'convBwdInput' | 'convBwdFilter';

function convKernel(name: string, call: ConvCall, addon: NativeAddon,
  plan: (args: Parameters<KernelFunc>[0]) => { ci: ConvInfo; inputs: [TensorInfo, TensorInfo]; outShape: number[] } | null) {
  return (next: KernelFunc | undefined): KernelFunc => (args) => {
    const p = plan(args);
    if (!p || !heapable(...p.inputs)) return fallback(name, next)(args);
    return withOutput(args.backend, p.outShape, p.inputs, ([a, b, out]) => addon[call](a!, b!, out!, ...convArgs(p.ci)));
  };
}

export function nativeWasmKernels(addon: NativeAddon): KernelLayer {
  return {
    Conv2D: convKernel('Conv2D', 'convFwd', addon, ({ inputs, attrs }) => {
      const ci = convInfo(inputs.x!.shape, inputs.filter!.shape, attrs as unknown as Conv2DAttrs as ConvAttrs);
      return ci && { ci, inputs: [inputs.x!, inputs.filter!], outShape: ci.outShape };
    }),
    Conv2DBackpropInput: convKernel('Conv2DBackpropInput', 'convBwdInput', addon, ({ inputs, attrs }) => {
      const a = attrs as unknown as Conv2DBackpropInputAttrs;
      const ci = convInfo(a.inputShape, inputs.filter!.shape, a);
      return ci && { ci, inputs: [inputs.dy!, inputs.filter!], outShape: [...a.inputShape] };
    }),
    Conv2DBackpropFilter: convKernel('Conv2DBackpropFilter', 'convBwdFilter', addon, ({ inputs, attrs }) => {
      const a = attrs as unknown as Conv2DBackpropFilterAttrs;
      const ci = convInfo(inputs.x!.shape, a.filterShape, a);
      return ci && { ci, inputs: [inputs.x!, inputs.dy!], outShape: [...a.filterShape] };
    }),
    MaxPoolGrad: maxPoolGradOnHeap((dy, x, dx, p) => addon.maxPoolGrad(dy, x, dx, p.batchSize, p.inHeight, p.inWidth,
      p.inChannels, p.filterHeight, p.filterWidth, p.strideHeight, p.strideWidth, p.padInfo.top, p.padInfo.left,
      p.outHeight, p.outWidth)),
    BatchMatMul: (next) => (args) => {
      const { a, b } = args.inputs;
      const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
      const ra = a!.shape.length, rb = b!.shape.length;
      const batchShape = tf.broadcast_util.assertAndGetBroadcastShape(a!.shape.slice(0, -2), b!.shape.slice(0, -2));
      const batchA = elementCount(a!.shape.slice(0, -2)), batchB = elementCount(b!.shape.slice(0, -2)), batch = elementCount(batchShape);
      // One side unbatched, or both with the same layout; other broadcasts (e.g. [2,1] x [1,3]) go below.
      const simple = batchA === 1 || batchB === 1 || (batchA === batch && batchB === batch);
      if (!simple || !heapable(a!, b!)) return fallback('BatchMatMul', next)(args);
      const m = a!.shape[transposeA ? ra - 1 : ra - 2]!, k = a!.shape[transposeA ? ra - 2 : ra - 1]!;
      const n = b!.shape[transposeB ? rb - 2 : rb - 1]!;
      return withOutput(args.backend, [...batchShape, m, n], [a!, b!], ([x, y, out]) =>
        addon.bmm(x!, y!, out!, batchA, batchB, m, n, k, transposeA ? 1 : 0, transposeB ? 1 : 0));
    },
  };
}
