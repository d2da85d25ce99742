// Direct access to the wasm backend's heap (internals: makeOutput, typedArrayFromHeap, incRef; hence the exact tfjs
// pin). The single-threaded wasm memory is a plain ArrayBuffer, so JS loops and the native addon read and write in place.
import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';

export interface WasmHeap {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  incRef(dataId: object): void;
}

export const wasmHeap = (backend: unknown): WasmHeap => backend as WasmHeap;

/** The number of elements of a shape. */
export const elementCount = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Kernels on the heap handle float32 tensors with no empty dimension; anything else goes to the kernel below. */
export const heapable = (...infos: TensorInfo[]): boolean =>
  infos.every((t) => t.dtype === 'float32' && t.shape.every((d) => d > 0));

/**
 * Allocates every float32 output first, then takes the views of inputs and outputs: makeOutput's malloc can grow
 * (and so detach) wasm memory.
 */
export function withOutputs(backend: unknown, inputs: TensorInfo[], outShapes: number[][], run: (views: Float32Array[]) => void): TensorInfo[] {
  const heap = wasmHeap(backend);
  const outs = outShapes.map((shape) => heap.makeOutput(shape, 'float32'));
  run([...inputs, ...outs].map((info) => heap.typedArrayFromHeap(info) as Float32Array));
  return outs;
}

export function withOutput(backend: unknown, shape: number[], inputs: TensorInfo[], run: (views: Float32Array[]) => void): TensorInfo {
  return withOutputs(backend, inputs, [shape], run)[0]!;
}
