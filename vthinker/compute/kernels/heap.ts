// Direct access to the wasm backend's heap (internals: makeOutput, typedArrayFromHeap; hence the exact tfjs pin).
// The single-threaded wasm memory is a plain ArrayBuffer, so JS loops and the native addon read and write in place.
import type { TensorInfo } from '@tensorflow/tfjs-core';

interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

/** Kernels on the heap handle float32 tensors with no empty dimension; anything else goes to the kernel below. */
export const heapable = (...infos: TensorInfo[]): boolean =>
  infos.every((t) => t.dtype === 'float32' && t.shape.every((d) => d > 0));

/** Allocates the output, then takes every view: makeOutput's malloc can grow (and so detach) wasm memory. */
export function withOutput(backend: unknown, shape: number[], inputs: TensorInfo[], run: (views: Float32Array[]) => void): TensorInfo {
  const heap = backend as WasmHeap;
  const out = heap.makeOutput(shape, 'float32');
  run([...inputs, out].map((info) => heap.typedArrayFromHeap(info)));
  return out;
}
