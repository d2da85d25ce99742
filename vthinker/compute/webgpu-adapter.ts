// Which WebGPU adapter this machine has (docs/gpu.md), without tfjs: the stage declarations ask it when the graph is
// built (a training stage's key names its compute), and a no-op `run` must not load tfjs-core for that.
//
// The adapter is probed in a child process, synchronously: cache keys are computed by synchronous code, and Dawn
// answers only through promises. The answer is passed on in VTHINKER_WEBGPU_ADAPTER, so the stage processes and
// workers that this process starts do not probe again (0.1-0.2 s each, plus loading the 21 MB dawn.node).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

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

