// initCompute: selects the tfjs backend at run time and installs the kernel stack (COMPUTE.md). Idempotent: a second
// call with the same options only re-checks; different options rebuild the kernels from the backend's originals.
import * as tf from '@tensorflow/tfjs-core';
import './gradients.ts';
import { describeCompute, noTensorflow, tensorflowPackages, wasmKernelStack } from './fingerprint.ts';
import { installKernelLayers, type KernelLayer } from './kernel-registry.ts';
import { jsWasmKernels } from './kernels/js.ts';
import { wasmFixes } from './kernels/fixes.ts';
import { nativeWasmKernels } from './kernels/native.ts';
import { layoutWasmKernels } from './kernels/layout.ts';
import { fusedWasmKernels } from './kernels/fused.ts';
import { loadNativeAddon, type NativeAddon } from './native-addon.ts';
import { useWebgpu } from './webgpu.ts';
import { webgpuId } from './webgpu-adapter.ts';
import { computeId, resolveOptions, type BackendName, type ComputeInfo, type ComputeOptions, type KernelStack, type ResolvedOptions } from './options.ts';

export type { ComputeInfo, ComputeOptions } from './options.ts';
export { computeFingerprint, describeCompute, trainingCompute } from './fingerprint.ts';

let current: { key: string; info: ComputeInfo } | undefined;

export async function initCompute(opts: ComputeOptions = {}): Promise<ComputeInfo> {
  const o = resolveOptions(opts);
  const key = JSON.stringify(o);
  if (current?.key === key && tf.getBackend() === backendKey(current.info.backend)) return current.info;
  const notes: string[] = [];
  let info: ComputeInfo | undefined;
  if (o.backend === 'webgpu') info = await useWebgpuBackend();
  if (o.backend === 'auto' || o.backend === 'tensorflow') info = await tryTensorflow(notes);
  if (!info && o.backend === 'tensorflow') throw new Error(`${noTensorflow}: ${notes.join('; ')}`);
  info ??= o.backend === 'cpu' ? await useCpu(notes) : await useWasm(o, notes);
  current = { key, info };
  return info;
}

function backendKey(backend: BackendName): string {
  return backend === 'wasm' || backend === 'cpu' || backend === 'webgpu' ? backend : 'tensorflow';
}

/** WebGPU (webgpu.ts) on the adapter Dawn offers. */
async function useWebgpuBackend(): Promise<ComputeInfo> {
  const facts = await useWebgpu();
  return { id: webgpuId(facts), backend: 'webgpu', kernels: 'builtin', notes: facts.fallback ? [`software adapter: ${facts.description}`] : [] };
}

async function tryTensorflow(notes: string[]): Promise<ComputeInfo | undefined> {
  for (const [name, backend] of tensorflowPackages) {
    try {
      // A variable specifier: these packages are optional and absent where libtensorflow cannot be downloaded.
      const specifier: string = name;
      await import(specifier);
      if (await tf.setBackend('tensorflow')) return { id: computeId(backend, 'builtin'), backend, kernels: 'builtin', notes };
      notes.push(`${name} loaded but its backend did not initialise`);
    } catch (error) {
      const code = (error as { code?: string }).code;
      notes.push(code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' ? `${name} not installed` : `${name}: ${String(error).split('\n')[0]}`);
    }
  }
  return undefined;
}

async function useCpu(notes: string[]): Promise<ComputeInfo> {
  await import('@tensorflow/tfjs-backend-cpu');
  await setBackend('cpu');
  return { id: 'cpu', backend: 'cpu', kernels: 'builtin', notes };
}

async function useWasm(o: ResolvedOptions, notes: string[]): Promise<ComputeInfo> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // One wasm thread: training gains nothing from wasm threads here (COMPUTE.md §1); the second core goes to data parallelism.
  wasm.setThreadsCount(1);
  await setBackend('wasm');
  const addon = o.overrides && o.native ? loadNativeAddon() : { addon: null };
  if (addon.error) notes.push(`native kernels unavailable: ${addon.error}`);
  const kernels = wasmKernelStack(o, addon.addon !== null);
  installKernelLayers('wasm', kernelLayers(kernels, addon.addon));
  const predicted = describeCompute(o).id;
  const id = computeId('wasm', kernels);
  if (predicted !== id) notes.push(`describeCompute predicted ${predicted}; cache keys computed before this run say so`);
  return { id, backend: 'wasm', kernels, notes };
}

/**
 * Each stack on top of the one before it. The layout kernels give the stock kernels' bytes, so the JS stack takes
 * them without a new id; the native stack stays as it was (the baseline bench/ measures the fused one against).
 */
function kernelLayers(kernels: KernelStack, addon: NativeAddon | null): KernelLayer[] {
  const layers: KernelLayer[] = [wasmFixes];
  if (kernels === 'stock') return layers;
  layers.push(jsWasmKernels);
  if (kernels === 'js') return [...layers, layoutWasmKernels];
  layers.push(nativeWasmKernels(addon!));
  return kernels === 'fused' ? [...layers, layoutWasmKernels, fusedWasmKernels(addon!)] : layers;
}

async function setBackend(name: string): Promise<void> {
  if (tf.getBackend() !== name && !(await tf.setBackend(name))) throw new Error(`tfjs backend ${name} failed to initialise`);
  await tf.ready();
}
