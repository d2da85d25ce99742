// Shared shape arithmetic for the convolution kernels (NHWC, dilation 1).
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor4D, TensorInfo } from '@tensorflow/tfjs-core';

export type ConvInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;

type Pad = Parameters<typeof tf.backend_util.computeConv2DInfo>[4];
type Rounding = Parameters<typeof tf.backend_util.computeConv2DInfo>[5];

export interface ConvAttrs {
  strides: number | [number, number];
  pad: Pad;
  dimRoundingMode?: Rounding;
  dataFormat?: string;
  dilations?: number | [number, number];
}

/** The geometry, or null for what the fast kernels do not cover (NCHW, dilation > 1). */
export function convInfo(inShape: readonly number[], filterShape: readonly number[], attrs: ConvAttrs): ConvInfo | null {
  if (attrs.dataFormat && attrs.dataFormat !== 'NHWC') return null;
  const ci = tf.backend_util.computeConv2DInfo(
    inShape as [number, number, number, number], filterShape as [number, number, number, number],
    attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  return ci.dilationHeight === 1 && ci.dilationWidth === 1 ? ci : null;
}

/** The geometry ints in the order the native addon takes them (after its three arrays). */
export function convArgs(ci: ConvInfo): number[] {
  return [ci.batchSize, ci.inHeight, ci.inWidth, ci.inChannels, ci.filterHeight, ci.filterWidth, ci.outChannels,
    ci.strideHeight, ci.strideWidth, ci.padInfo.top, ci.padInfo.left, ci.outHeight, ci.outWidth];
}

/** Kernel inputs are Tensors when they come from ops; the JS kernels need Tensors to call ops on. */
export function asTensors<T extends TensorInfo[]>(...infos: T): Tensor[] | null {
  return infos.every((info) => info instanceof tf.Tensor) ? (infos as unknown as Tensor[]) : null;
}

/** x padded by the convolution's top/left padding and padded or cropped to exactly `height` x `width`. */
export function padTo(x: Tensor4D, ci: ConvInfo, height: number, width: number): Tensor4D {
  const { top, left } = ci.padInfo;
  const [b, h, w, c] = x.shape;
  const padded = tf.pad(x, [[0, 0], [top, Math.max(0, height - h - top)], [left, Math.max(0, width - w - left)], [0, 0]]);
  return padded.shape[1] === height && padded.shape[2] === width ? padded : tf.slice(padded, [0, 0, 0, 0], [b, height, width, c]);
}

/** The input window each filter tap (i, j) sees, as [B, OH, OW, C]: the building block of im2col in tf ops. */
export function tapSlices(x: Tensor4D, ci: ConvInfo): Tensor4D[] {
  const height = (ci.outHeight - 1) * ci.strideHeight + ci.filterHeight;
  const width = (ci.outWidth - 1) * ci.strideWidth + ci.filterWidth;
  const xp = padTo(x, ci, height, width);
  const slices: Tensor4D[] = [];
  for (let i = 0; i < ci.filterHeight; i++) {
    for (let j = 0; j < ci.filterWidth; j++) {
      slices.push(tf.stridedSlice(xp, [0, i, j, 0],
        [ci.batchSize, i + (ci.outHeight - 1) * ci.strideHeight + 1, j + (ci.outWidth - 1) * ci.strideWidth + 1, ci.inChannels],
        [1, ci.strideHeight, ci.strideWidth, 1]) as Tensor4D);
    }
  }
  return slices;
}
