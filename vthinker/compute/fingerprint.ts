// Which compute stack initCompute WOULD pick, without loading tfjs or BLAS: the pipeline calls this for every cache
// key, so it only resolves package paths and checks that the addon file exists (a few ms).
import { createRequire } from 'node:module';
import { nativeAddonBuilt } from './native-addon.ts';
import { computeId, resolveOptions, webgpuForced, type BackendName, type ComputeInfo, type ComputeOptions, type KernelStack } from './options.ts';
import { probeAdapter, webgpuId } from './webgpu-adapter.ts';

/** tfjs-node flavours in order of preference, with the backend name each gives. */
export const tensorflowPackages: ReadonlyArray<readonly [string, Exclude<BackendName, 'webgpu'>]> = [
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
  if (o.backend === 'webgpu') {
    const { facts, error } = probeAdapter();
    if (!facts) throw new Error(error);
    return { id: webgpuId(facts), backend: 'webgpu', kernels: 'builtin', notes };
  }
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

/** GPUs this process may use for gradient steps: VTHINKER_GPUS, the engine's GPU pool (and what a worker offers). */
export const offeredGpus = (env: NodeJS.ProcessEnv = process.env): number => Math.max(0, Math.floor(Number(env.VTHINKER_GPUS ?? 0) || 0));

export interface TrainingCompute {
  /** What the training workers pass to initCompute. */
  options: ComputeOptions;
  info: ComputeInfo;
}

/**
 * Where gradient steps run (one rule for the cache key and the run, so the two agree): on WebGPU when
 * VTHINKER_BACKEND=webgpu (any adapter, software included) or when a GPU is offered (VTHINKER_GPUS >= 1) and the
 * adapter is hardware; on the CPU stack otherwise, with the reason in notes. CPU-only machines never probe.
 */
export function trainingCompute(env: NodeJS.ProcessEnv = process.env): TrainingCompute {
  const host = (): TrainingCompute => ({ options: {}, info: describeCompute({}) });
  if (!webgpuForced(env) && offeredGpus(env) < 1) return host();
  const { facts, error } = probeAdapter();
  if (facts && (webgpuForced(env) || !facts.fallback)) {
    return { options: { backend: 'webgpu' }, info: { id: webgpuId(facts), backend: 'webgpu', kernels: 'builtin', notes: [] } };
  }
  if (webgpuForced(env)) throw new Error(`VTHINKER_BACKEND=webgpu, but ${error}`);
  const cpu = host();
  cpu.info.notes.push(facts ? `the WebGPU adapter is a software driver (${facts.description}): training stays on the CPU` : `no GPU for training: ${error}`);
  return cpu;
}

/**
 * A training stage's runtime facts for its cache key: the id of its gradient steps, and with a GPU also the host
 * stack (evaluation and sampling run there, docs/gpu.md), so CPU, software-driver and NVIDIA runs never share a key.
 */
export function trainingRuntime(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const { info } = trainingCompute(env);
  return info.backend === 'webgpu' ? { compute: info.id, host: computeFingerprint() } : { compute: info.id };
}
