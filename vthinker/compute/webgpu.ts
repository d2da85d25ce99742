// The WebGPU backend (docs/gpu.md): tfjs-backend-webgpu over Dawn's Node bindings (npm `webgpu`, a prebuilt
// dawn.node), which reach the GPU through the Vulkan driver (NVIDIA's, or Mesa's software lavapipe in CI). Both
// packages are optional dependencies: nothing here is loaded unless a GPU is offered or VTHINKER_BACKEND=webgpu.
import * as tf from '@tensorflow/tfjs-core';
import { probeAdapter, webgpuPackage, type AdapterFacts } from './webgpu-adapter.ts';

type GpuAdapter = { info: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean } };
let loaded: AdapterFacts | undefined;

/**
 * Loads Dawn and the tfjs backend into this thread and makes it current, on whatever adapter Dawn offers (whether a
 * software one is acceptable is trainingCompute's decision, made before).
 */
export async function useWebgpu(): Promise<AdapterFacts> {
  const entry = webgpuPackage();
  if (!entry) throw new Error(probeAdapter().error);
  if (!loaded) {
    const { create, globals } = (await import(entry)) as { create: (flags: string[]) => { requestAdapter(o: object): Promise<GpuAdapter | null> }; globals: Record<string, unknown> };
    const gpu = create([]);
    // The adapter tfjs will take (it asks with the same preference): its info is what the compute id names.
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) throw new Error(`${probeAdapter().error ?? 'Dawn found no adapter'} (see docs/gpu.md)`);
    const i = adapter.info;
    loaded = { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, fallback: !!i.isFallbackAdapter };
    // tfjs-backend-webgpu registers itself on import only where navigator.gpu exists, and uses the GPU* globals.
    const g = globalThis as Record<string, unknown>;
    for (const [name, value] of Object.entries(globals)) g[name] ??= value;
    const nav = (g.navigator ??= {}) as Record<string, unknown>;
    if (!nav.gpu) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
    await import('@tensorflow/tfjs-backend-webgpu');
  }
  if (tf.getBackend() !== 'webgpu') {
    if (!(await tf.setBackend('webgpu'))) throw new Error('the tfjs webgpu backend failed to initialise (no adapter or device; see docs/gpu.md)');
    await tf.ready();
  }
  return loaded;
}

/**
 * The most tensors one kernel may read on this backend. WebGPU binds every input as a storage buffer, and the device
 * tfjs asks for keeps the default limit of 8 per shader stage (one is the output); other backends have no such limit.
 */
export function maxKernelInputs(): number {
  if (tf.getBackend() !== 'webgpu') return Infinity;
  const device = (tf.backend() as unknown as { device: { limits: { maxStorageBuffersPerShaderStage: number } } }).device;
  return device.limits.maxStorageBuffersPerShaderStage - 1;
}

/**
 * Makes the tensors' data readable synchronously (dataSync): GPU data can only be read back asynchronously in Node
 * (tfjs's synchronous path needs an OffscreenCanvas), after which the backend keeps a host copy. A no-op on CPU backends.
 */
export async function readable(tensors: readonly tf.Tensor[]): Promise<void> {
  if (tf.getBackend() === 'webgpu') await Promise.all(tensors.map((t) => t.data()));
}
