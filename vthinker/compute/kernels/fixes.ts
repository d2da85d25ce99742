// The wasm backend's gaps: two gradient kernels it lacks (ENVIRONMENT.md), written with ops wasm has (without them a
// CNN or an embedding cannot train at all), and its MaxPoolGrad, which is wrong (max-pool-grad.ts).
import * as tf from '@tensorflow/tfjs-core';
import type { Conv2DBackpropFilterAttrs, KernelFunc, Tensor, Tensor4D, UnsortedSegmentSumAttrs } from '@tensorflow/tfjs-core';
import { fallback, type KernelLayer } from '../kernel-registry.ts';
import { asTensors, convInfo, tapSlices } from './geometry.ts';
import { maxPoolGradOnHeap } from './max-pool-grad.ts';

/** dW[i,j] = x_tap(i,j)ᵀ · dy summed over the batch: one transposed matmul per filter tap (slow but simple). */
export const conv2DBackpropFilterByTaps = (next: KernelFunc | undefined): KernelFunc => (args) => {
  const { x, dy } = args.inputs;
  const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  const tensors = asTensors(x!, dy!);
  const ci = tensors && convInfo(x!.shape, attrs.filterShape, attrs);
  if (!tensors || !ci) return fallback('Conv2DBackpropFilter', next)(args);
  return tf.tidy(() => {
    const dy2 = tf.reshape(tensors[1]!, [-1, ci.outChannels]);
    const taps = tapSlices(tensors[0] as Tensor4D, ci).map((xs) => tf.matMul(tf.reshape(xs, [-1, ci.inChannels]), dy2, true, false));
    return tf.reshape(tf.stack(taps), attrs.filterShape);
  });
};

/** out[s] = Σ x[i] over segmentIds[i] = s, as oneHot(ids)ᵀ · x; ids out of range are dropped, as in TensorFlow. */
export const unsortedSegmentSum = (next: KernelFunc | undefined): KernelFunc => (args) => {
  const { x, segmentIds } = args.inputs;
  const { numSegments } = args.attrs as unknown as UnsortedSegmentSumAttrs;
  const tensors = asTensors(x!, segmentIds!);
  if (!tensors) return fallback('UnsortedSegmentSum', next)(args);
  const [data, ids] = tensors as [Tensor, Tensor];
  return tf.tidy(() => {
    const n = ids.size;
    const rest = data.shape.slice(ids.rank);
    const oneHot = tf.cast(tf.oneHot(tf.reshape(tf.cast(ids, 'int32'), [n]), numSegments), 'float32');
    const rows = tf.reshape(tf.cast(data, 'float32'), [n, rest.reduce((a, b) => a * b, 1)]);
    const summed = tf.reshape(tf.matMul(oneHot, rows, true, false), [numSegments, ...rest]);
    return data.dtype === 'float32' ? summed : tf.cast(summed, data.dtype);
  });
};

/** What every wasm stack needs to train correctly: the two missing kernels and a MaxPoolGrad that is right. */
export const wasmFixes: KernelLayer = {
  Conv2DBackpropFilter: conv2DBackpropFilterByTaps,
  UnsortedSegmentSum: unsortedSegmentSum,
  MaxPoolGrad: maxPoolGradOnHeap(),
};
