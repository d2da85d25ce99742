// JS kernel overrides for the wasm backend (COMPUTE.md §2, ~3x on training): route the gradient matmuls and the
// convolution backprops to the two fast paths wasm has (XNNPACK's untransposed 2-D matmul and forward Conv2D).
import * as tf from '@tensorflow/tfjs-core';
import type {
  BatchMatMulAttrs, Conv2DBackpropFilterAttrs, Conv2DBackpropInputAttrs, KernelFunc, Tensor, Tensor4D,
} from '@tensorflow/tfjs-core';
import { fallback, type KernelLayer } from '../kernel-registry.ts';
import { asTensors, convInfo, padTo, tapSlices } from './geometry.ts';
import { elementCount } from './heap.ts';


/** Batch-1 transposed matmuls via an explicit transpose, and batched·unbatched as one tall matmul; else `next`. */
export const batchMatMul = (next: KernelFunc | undefined): KernelFunc => (args) => {
  const { a, b } = args.inputs;
  const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
  const tensors = asTensors(a!, b!);
  const batchA = elementCount(a!.shape.slice(0, -2)), batchB = elementCount(b!.shape.slice(0, -2));
  const tallA = batchA > 1 && batchB === 1 && !transposeA;
  const plain = batchA === 1 && batchB === 1 && !transposeA && !transposeB;
  if (!tensors || plain || !((batchA === 1 && batchB === 1) || tallA)) return fallback('BatchMatMul', next)(args);
  const [ta, tb] = tensors as [Tensor, Tensor];
  return tf.tidy(() => {
    const [ra, ca] = ta.shape.slice(-2) as [number, number];
    const [rb, cb] = tb.shape.slice(-2) as [number, number];
    let a2 = tf.reshape(ta, [batchA * ra, ca]);
    let b2 = tf.reshape(tb, [rb, cb]);
    if (transposeA) a2 = tf.transpose(a2);
    if (transposeB) b2 = tf.transpose(b2);
    // The output keeps the broadcast batch dims: a 2-D kernel input must give a 2-D result or autograd's shape check fails.
    const batch = tf.broadcast_util.assertAndGetBroadcastShape(ta.shape.slice(0, -2), tb.shape.slice(0, -2));
    const m = transposeA ? ca : ra, n = transposeB ? rb : cb;
    return tf.reshape(tf.matMul(a2, b2), [...batch, m, n]);
  });
};

/** Stride 1: dx = valid conv of dy padded by (k-1-pad) with the filter flipped and its channel axes swapped. */
export const conv2DBackpropInput = (next: KernelFunc | undefined): KernelFunc => (args) => {
  const { dy, filter } = args.inputs;
  const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
  const tensors = asTensors(dy!, filter!);
  const ci = tensors && convInfo(attrs.inputShape, filter!.shape, attrs);
  const pt = ci ? ci.filterHeight - 1 - ci.padInfo.top : -1, pb = ci ? ci.filterHeight - 1 - ci.padInfo.bottom : -1;
  const pl = ci ? ci.filterWidth - 1 - ci.padInfo.left : -1, pr = ci ? ci.filterWidth - 1 - ci.padInfo.right : -1;
  if (!tensors || !ci || ci.strideHeight !== 1 || ci.strideWidth !== 1 || Math.min(pt, pb, pl, pr) < 0) {
    return fallback('Conv2DBackpropInput', next)(args);
  }
  const [g, w] = tensors as [Tensor4D, Tensor4D];
  return tf.tidy(() => {
    const flipped = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]);
    return tf.conv2d(tf.pad(g, [[0, 0], [pt, pb], [pl, pr], [0, 0]]), flipped, 1, 'valid');
  });
};

/**
 * Stride 1 as a convolution: input channels become the batch, the batch becomes the channels, dy the filter.
 * Other strides: im2col from strided slices concatenated on channels, then one transposed matmul.
 */
export const conv2DBackpropFilter = (next: KernelFunc | undefined): KernelFunc => (args) => {
  const { x, dy } = args.inputs;
  const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  const tensors = asTensors(x!, dy!);
  const ci = tensors && convInfo(x!.shape, attrs.filterShape, attrs);
  if (!tensors || !ci) return fallback('Conv2DBackpropFilter', next)(args);
  const [xs, g] = tensors as [Tensor4D, Tensor4D];
  return tf.tidy(() => {
    if (ci.strideHeight === 1 && ci.strideWidth === 1) {
      const xp = padTo(xs, ci, ci.outHeight + ci.filterHeight - 1, ci.outWidth + ci.filterWidth - 1);
      const dw = tf.conv2d(tf.transpose(xp, [3, 1, 2, 0]), tf.transpose(g, [1, 2, 0, 3]), 1, 'valid');
      return tf.transpose(dw, [1, 2, 0, 3]);
    }
    const cols = tf.reshape(tf.concat(tapSlices(xs, ci), 3), [-1, ci.filterHeight * ci.filterWidth * ci.inChannels]);
    return tf.reshape(tf.matMul(cols, tf.reshape(g, [-1, ci.outChannels]), true, false), attrs.filterShape);
  });
};

export const jsWasmKernels: KernelLayer = {
  BatchMatMul: batchMatMul,
  Conv2DBackpropInput: conv2DBackpropInput,
  Conv2DBackpropFilter: conv2DBackpropFilter,
};
