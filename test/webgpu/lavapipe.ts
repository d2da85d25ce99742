// The WebGPU tests run on Mesa's software Vulkan driver (lavapipe, from Debian bookworm-backports: bookworm's own
// Mesa 22.3 is refused by Dawn). Without it they are skipped locally with a notice and fail in CI (CI=true), where
// .ci/run installs it.
import { probeAdapter, webgpuPackage } from '../../vthinker/compute/webgpu-adapter.ts';

/** Why WebGPU cannot run here, or undefined when an adapter answers. */
function missing(): string | undefined {
  if (!webgpuPackage()) return 'the optional packages webgpu and @tensorflow/tfjs-backend-webgpu are not installed (npm ci installs them)';
  const { facts, error } = probeAdapter();
  return facts ? undefined : `${error}; install the software driver: mesa-vulkan-drivers and libvulkan1 from bookworm-backports (see .ci/run)`;
}

/** True when the WebGPU tests should run; throws in CI when no adapter is available. */
export function requireWebgpu(): boolean {
  const why = missing();
  if (!why) return true;
  if (process.env.CI && !['0', 'false'].includes(process.env.CI)) throw new Error(`WebGPU tests cannot run: ${why}; .ci/run installs the driver in CI`);
  console.log(`NOTICE: skipping WebGPU tests: ${why}`);
  return false;
}
