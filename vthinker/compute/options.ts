// Compute options and the short id that goes into pipeline cache keys. The id says which kernels produce the
// numbers (they differ in the last bits between stacks) and nothing else: no timings, no paths, no thread counts.

export type BackendChoice = 'auto' | 'wasm' | 'cpu' | 'tensorflow' | 'webgpu';

export interface ComputeOptions {
  /**
   * 'auto' (default, or VTHINKER_BACKEND): tfjs-node-gpu, then tfjs-node, then wasm. 'webgpu' (docs/gpu.md) only
   * when asked for here: VTHINKER_BACKEND=webgpu moves the gradient steps alone (trainingCompute in fingerprint.ts).
   */
  backend?: BackendChoice;
  /** Use the native OpenBLAS kernels when the addon is built (default true; VTHINKER_NATIVE=0 turns them off). */
  native?: boolean;
  /** Replace the slow wasm kernels at all (default true); false gives stock wasm plus its two missing kernels. */
  overrides?: boolean;
  /**
   * With the native kernels: also the fused ones (layer norm, attention, Adam, leading-axis sums) and the in-place
   * layout kernels (default true; VTHINKER_FUSED=0 gives the native stack of before, kept to measure against).
   */
  fused?: boolean;
}

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu' | 'webgpu';
export type KernelStack = 'builtin' | 'stock' | 'js' | 'native' | 'fused';

export interface ComputeInfo {
  /**
   * Stable and short, for cache keys: 'wasm+fused-openblas', 'wasm+native-openblas', 'wasm+js', 'wasm', 'cpu',
   * 'tensorflow', 'tensorflow-gpu', or 'webgpu:<vendor>/<architecture>' ('webgpu:mesa/software' is lavapipe).
   */
  id: string;
  backend: BackendName;
  kernels: KernelStack;
  /** Why a faster option was not taken (for logs only; never part of the id). */
  notes: string[];
}

export interface ResolvedOptions {
  backend: BackendChoice;
  native: boolean;
  overrides: boolean;
  fused: boolean;
}

const choices: readonly BackendChoice[] = ['auto', 'wasm', 'cpu', 'tensorflow', 'webgpu'];

/** VTHINKER_BACKEND=webgpu: gradient steps on WebGPU even on a software adapter (CI, tests, trying it out). */
export const webgpuForced = (env: NodeJS.ProcessEnv = process.env): boolean => env.VTHINKER_BACKEND === 'webgpu';

export function resolveOptions(opts: ComputeOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  // Evaluation, sampling and serving read tensors synchronously, which GPU data does not allow: they keep the CPU
  // stack under VTHINKER_BACKEND=webgpu, and only the training workers take it (trainingCompute).
  const backend = opts.backend ?? (webgpuForced(env) ? 'auto' : (env.VTHINKER_BACKEND as BackendChoice | undefined)) ?? 'auto';
  if (!choices.includes(backend)) {
    throw new Error(`Unknown compute backend "${backend}": use one of ${choices.join(', ')} (option backend or VTHINKER_BACKEND)`);
  }
  return {
    backend,
    native: opts.native ?? env.VTHINKER_NATIVE !== '0',
    overrides: opts.overrides ?? true,
    fused: opts.fused ?? env.VTHINKER_FUSED !== '0',
  };
}

/** The id of a CPU stack or tfjs-node (WebGPU's names its adapter: webgpu.ts webgpuId). */
export function computeId(backend: Exclude<BackendName, 'webgpu'>, kernels: KernelStack): string {
  if (backend !== 'wasm') return backend;
  return { builtin: 'wasm', stock: 'wasm', js: 'wasm+js', native: 'wasm+native-openblas', fused: 'wasm+fused-openblas' }[kernels];
}
