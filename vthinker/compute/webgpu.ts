// The WebGPU backend (docs/gpu.md): tfjs-backend-webgpu over Dawn's Node bindings (npm `webgpu`, a prebuilt
// dawn.node), which reach the GPU through the Vulkan driver (NVIDIA's, or Mesa's software lavapipe in CI). Both
// packages are optional dependencies: nothing here is loaded unless a GPU is offered or VTHINKER_BACKEND=webgpu.
//
// The adapter is probed in a child process, synchronously: cache keys are computed by synchronous code, and Dawn
// answers only through promises. The answer is passed on in VTHINKER_WEBGPU_ADAPTER, so the stage processes and
// workers that this process starts do not probe again (0.1-0.2 s each, plus loading the 21 MB dawn.node).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';

/** What the adapter says of itself: `vendor` and `architecture` name the compute id, `fallback` marks a software driver. */
export interface AdapterFacts {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  fallback: boolean;
}

const ADAPTER_ENV = 'VTHINKER_WEBGPU_ADAPTER';
const require = createRequire(import.meta.url);

/** The `webgpu` package's entry, or undefined when the optional dependency is not installed. */
export function webgpuPackage(): string | undefined {
  try {
    return require.resolve('webgpu');
  } catch {
    return undefined;
  }
}

/** The first adapter Dawn offers (high-performance preference, as tfjs asks), probed once per process tree. */
let probed: { facts?: AdapterFacts; error?: string } | undefined;
export function probeAdapter(): { facts?: AdapterFacts; error?: string } {
  if (probed) return probed;
  const passed = process.env[ADAPTER_ENV];
  if (passed) return (probed = JSON.parse(passed) as { facts?: AdapterFacts; error?: string });
  const entry = webgpuPackage();
  if (!entry) return (probed = { error: 'the optional packages webgpu and @tensorflow/tfjs-backend-webgpu are not installed (npm install --include=optional)' });
  const script = `import(${JSON.stringify(entry)}).then(async ({ create }) => {
    const adapter = await create([]).requestAdapter({ powerPreference: 'high-performance' });
    const i = adapter && adapter.info;
    process.stdout.write(JSON.stringify(i ? { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, fallback: !!i.isFallbackAdapter } : null));
    process.exit(0);
  })`;
  try {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    const facts = JSON.parse(out) as AdapterFacts | null;
    probed = facts ? { facts } : { error: 'Dawn found no adapter (is a Vulkan driver installed? libvulkan1 plus the GPU driver, or mesa-vulkan-drivers for the software one)' };
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? error).split('\n').filter((l) => l && !l.startsWith('Warning:'));
    probed = { error: `the WebGPU adapter probe failed: ${stderr.slice(0, 3).join(' ') || String(error)}` };
  }
  process.env[ADAPTER_ENV] = JSON.stringify(probed);
  return probed;
}

/** Forgets the probe (tests that change the Vulkan environment). */
export function forgetAdapterProbe(): void {
  probed = undefined;
  delete process.env[ADAPTER_ENV];
}

const idPart = (s: string) => s.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'unknown';

/** `webgpu:<vendor>/<architecture>`: lavapipe is webgpu:mesa/software, an H200 webgpu:nvidia/hopper. */
export function webgpuId(facts: AdapterFacts): string {
  return `webgpu:${idPart(facts.vendor)}/${idPart(facts.architecture)}`;
}

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
