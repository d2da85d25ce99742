// Layout kernels on the wasm heap. The stock wasm kernels copy where nothing needs copying (Identity, same-dtype
// Cast: autograd's tape calls them hundreds of times a step), read the whole input out of the heap for every part of
// a SplitV (Slice's readSync), copy 2-float rows one `set` call at a time (Concat of coordinate channels) and tile
// through a per-element index loop: a third of a policy train step (COMPUTE.md, December 2026). These read the heap
// in place and copy runs; the bytes they produce are the stock kernels' bytes.
import * as tf from '@tensorflow/tfjs-core';
import type { ConcatAttrs, GatherV2Attrs, KernelFunc, SliceAttrs, SplitVAttrs, TensorInfo, TileAttrs } from '@tensorflow/tfjs-core';
import { fallback, type KernelLayer } from '../kernel-registry.ts';
import { elementCount, wasmHeap } from './heap.ts';

const numeric = (...infos: TensorInfo[]): boolean => infos.every((t) => t.dtype !== 'string' && t.dtype !== 'complex64');

/** Another tensor on the same bytes (as Reshape does): wasm kernels never write into their inputs. */
function share(backend: unknown, x: TensorInfo): TensorInfo {
  wasmHeap(backend).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

/** Copies `n` elements; short runs element by element (a typed-array `set` costs more than a few stores). */
function copyRun(from: ArrayLike<number>, at: number, to: { [i: number]: number; set(a: ArrayLike<number>, o: number): void }, into: number, n: number): void {
  if (n > 16) to.set((from as Float32Array).subarray(at, at + n), into);
  else for (let i = 0; i < n; i++) to[into + i] = from[at + i]!;
}

/** out = x[begin : begin + extent] for any rank: whole trailing dimensions merge into one contiguous run. */
function sliceOnHeap(backend: unknown, x: TensorInfo, begin: number[], extent: number[]): TensorInfo {
  const heap = wasmHeap(backend);
  const out = heap.makeOutput(extent, x.dtype);
  if (elementCount(extent) === 0) return out;
  const src = heap.typedArrayFromHeap(x), dst = heap.typedArrayFromHeap(out);
  const rank = x.shape.length;
  // The innermost dims taken whole, plus the first partial one going outwards, are one run in memory.
  let inner = rank - 1;
  while (inner > 0 && extent[inner] === x.shape[inner]) inner--;
  const run = elementCount(extent.slice(inner));
  const strides = tf.util.computeStrides(x.shape);
  const outer = extent.slice(0, inner);
  const index = new Array<number>(inner).fill(0);
  const count = elementCount(outer);
  const base = begin.reduce((sum, b, d) => sum + b * (d < rank - 1 ? strides[d]! : 1), 0);
  for (let r = 0, o = 0; r < count; r++, o += run) {
    let at = base;
    for (let d = 0; d < inner; d++) at += index[d]! * strides[d]!;
    copyRun(src, at, dst, o, run);
    for (let d = inner - 1; d >= 0 && ++index[d]! === outer[d]; d--) index[d] = 0;
  }
  return out;
}

const slice = (next: KernelFunc | undefined): KernelFunc => (args) => {
  const { x } = args.inputs;
  if (!numeric(x!)) return fallback('Slice', next)(args);
  const { begin, size: sizes } = args.attrs as unknown as SliceAttrs;
  const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, sizes);
  return sliceOnHeap(args.backend, x!, b, s);
};

const splitV = (next: KernelFunc | undefined): KernelFunc => (args) => {
  const { x } = args.inputs;
  if (!numeric(x!)) return fallback('SplitV', next)(args);
  const { numOrSizeSplits, axis } = args.attrs as unknown as SplitVAttrs;
  const ax = tf.util.parseAxisParam(axis, x!.shape)[0]!;
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, ax);
  const begin = new Array<number>(x!.shape.length).fill(0);
  return sizes.map((s) => {
    const extent = [...x!.shape];
    extent[ax] = s;
    const part = sliceOnHeap(args.backend, x!, [...begin], extent);
    begin[ax]! += s;
    return part;
  }) as unknown as TensorInfo;
};

const concat = (next: KernelFunc | undefined): KernelFunc => (args) => {
  const inputs = args.inputs as unknown as TensorInfo[];
  if (!numeric(...inputs) || new Set(inputs.map((t) => t.dtype)).size > 1) return fallback('Concat', next)(args);
  const ax = tf.util.parseAxisParam((args.attrs as unknown as ConcatAttrs).axis, inputs[0]!.shape)[0]!;
  tf.backend_util.assertParamsConsistent(inputs.map((t) => t.shape), ax);
  const outShape = tf.backend_util.computeOutShape(inputs.map((t) => t.shape), ax);
  const parts = inputs.filter((t) => elementCount(t.shape) > 0);
  if (parts.length === 1) return share(args.backend, { ...parts[0]!, shape: outShape });
  const heap = wasmHeap(args.backend);
  const out = heap.makeOutput(outShape, inputs[0]!.dtype);
  if (parts.length === 0) return out;
  const rows = elementCount(outShape.slice(0, ax));
  const widths = parts.map((t) => elementCount(t.shape.slice(ax)));
  const total = widths.reduce((a, b) => a + b, 0);
  const dst = heap.typedArrayFromHeap(out);
  let offset = 0;
  parts.forEach((t, i) => {
    const src = heap.typedArrayFromHeap(t), w = widths[i]!;
    for (let r = 0; r < rows; r++) copyRun(src, r * w, dst, r * total + offset, w);
    offset += w;
  });
  return out;
};

const tile = (next: KernelFunc | undefined): KernelFunc => (args) => {
  const { x } = args.inputs;
  if (!numeric(x!)) return fallback('Tile', next)(args);
  const { reps } = args.attrs as unknown as TileAttrs;
  const heap = wasmHeap(args.backend);
  const outShape = x!.shape.map((d, i) => d * reps[i]!);
  const out = heap.makeOutput(outShape, x!.dtype);
  if (elementCount(outShape) === 0) return out;
  const src = heap.typedArrayFromHeap(x!), dst = heap.typedArrayFromHeap(out);
  // Innermost first: a block is the tiled suffix from dim d on; repeating dim d copies that block reps[d] times.
  // Writing dims from the inside out keeps every copy a contiguous run of the already-tiled output.
  const rank = x!.shape.length;
  const outer = (d: number) => elementCount(x!.shape.slice(0, d));
  // Start: the input rows laid out at their final positions for the innermost dim only.
  const inner = x!.shape[rank - 1]!, repInner = reps[rank - 1]!;
  const rows = outer(rank - 1);
  for (let r = 0; r < rows; r++) for (let k = 0; k < repInner; k++) copyRun(src, r * inner, dst, (r * repInner + k) * inner, inner);
  let block = inner * repInner;
  for (let d = rank - 2; d >= 0; d--) {
    const n = outer(d), dim = x!.shape[d]!, rep = reps[d]!;
    // Each of the n outer rows holds dim blocks; spread them to their places for rep copies, from the last one back.
    for (let o = n - 1; o >= 0; o--) {
      const from = o * dim * block, to = o * dim * rep * block;
      for (let k = rep - 1; k >= 0; k--) dst.copyWithin(to + k * dim * block, from, from + dim * block);
    }
    block *= dim * rep;
  }
  return out;
};

const gatherV2 = (next: KernelFunc | undefined): KernelFunc => (args) => {
  const { x, indices } = args.inputs;
  const { axis, batchDims } = args.attrs as unknown as GatherV2Attrs;
  const ax = tf.util.parseAxisParam(axis, x!.shape)[0]!;
  if (!numeric(x!) || indices!.dtype !== 'int32' || ax !== 0 || (batchDims ?? 0) !== 0) return fallback('GatherV2', next)(args);
  const heap = wasmHeap(args.backend);
  const rows = x!.shape[0]!, width = elementCount(x!.shape.slice(1));
  const out = heap.makeOutput([...indices!.shape, ...x!.shape.slice(1)], x!.dtype);
  const ids = heap.typedArrayFromHeap(indices!), src = heap.typedArrayFromHeap(x!), dst = heap.typedArrayFromHeap(out);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id < 0 || id >= rows) throw new Error(`GatherV2: the index value ${id} is not in [0, ${rows - 1}]`);
    copyRun(src, id * width, dst, i * width, width);
  }
  return out;
};

export const layoutWasmKernels: KernelLayer = {
  Identity: (next) => (args) => (numeric(args.inputs.x!) ? share(args.backend, args.inputs.x!) : fallback('Identity', next)(args)),
  Cast: (next) => (args) => {
    const { x } = args.inputs;
    const same = x!.dtype === (args.attrs as unknown as { dtype: string }).dtype && numeric(x!);
    return same ? share(args.backend, x!) : fallback('Cast', next)(args);
  },
  Slice: slice,
  SplitV: splitV,
  Concat: concat,
  Tile: tile,
  GatherV2: gatherV2,
};
