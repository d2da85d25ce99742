// Which compute stack initCompute WOULD pick, without loading tfjs or BLAS: the pipeline calls this for every cache
// key, so it only resolves package paths and checks that the addon file exists (a few ms).
import { createRequire } from 'node:module';
import { nativeAddonBuilt } from './native-addon.ts';
import { computeId, resolveOptions, type BackendName, type ComputeInfo, type ComputeOptions, type KernelStack } from './options.ts';

/** tfjs-node flavours in order of preference, with the backend name each gives. */
export const tensorflowPackages: ReadonlyArray<readonly [string, BackendName]> = [
  ['@tensorflow/tfjs-node-gpu', 'tensorflow-gpu'],
  ['@tensorflow/tfjs-node', 'tensorflow'],
];

const require = createRequire(import.meta.url);

function resolvable(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

export function wasmKernelStack(o: { overrides: boolean; native: boolean; fused: boolean }, nativeAvailable: boolean): KernelStack {
  if (!o.overrides) return 'stock';
  if (!o.native || !nativeAvailable) return 'js';
  return o.fused ? 'fused' : 'native';
}

/** The prediction; initCompute returns the same id unless a package that resolves then fails to load. */
export function describeCompute(opts: ComputeOptions = {}): ComputeInfo {
  const o = resolveOptions(opts);
  const notes: string[] = [];
  if (o.backend === 'auto' || o.backend === 'tensorflow') {
    const found = tensorflowPackages.find(([name]) => resolvable(name));
    if (found) return { id: computeId(found[1], 'builtin'), backend: found[1], kernels: 'builtin', notes };
    if (o.backend === 'tensorflow') throw new Error(noTensorflow);
    notes.push('tfjs-node not installed');
  }
  if (o.backend === 'cpu') return { id: 'cpu', backend: 'cpu', kernels: 'builtin', notes };
  const built = nativeAddonBuilt();
  if (o.overrides && o.native && !built) notes.push('native addon not built (node native/build.js; needs libopenblas-dev)');
  const kernels = wasmKernelStack(o, built);
  return { id: computeId('wasm', kernels), backend: 'wasm', kernels, notes };
}

/** Just the id: what a cache key records. */
export function computeFingerprint(opts: ComputeOptions = {}): string {
  return describeCompute(opts).id;
}

export const noTensorflow =
  'backend "tensorflow" asked for, but neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed (they download libtensorflow at install time; use backend "auto" or "wasm" where that is not possible)';
