// Locates and loads the optional OpenBLAS addon built by native/build.js (postinstall).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { prepareBlasEnv } from './blas-env.ts';

/** The addon's functions: Float32Array views plus int geometry, NHWC, all writing into the third array. */
export interface NativeAddon {
  convFwd(x: Float32Array, w: Float32Array, out: Float32Array, ...geometry: number[]): void;
  convBwdInput(dy: Float32Array, w: Float32Array, dx: Float32Array, ...geometry: number[]): void;
  convBwdFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, ...geometry: number[]): void;
  maxPoolGrad(dy: Float32Array, x: Float32Array, dx: Float32Array, ...geometry: number[]): void;
  bmm(a: Float32Array, b: Float32Array, out: Float32Array, batchA: number, batchB: number, m: number, n: number,
    k: number, transposeA: number, transposeB: number): void;
  setThreads(n: number): void;
  coreName(): string;
}

export const nativeAddonPath = fileURLToPath(new URL('../../native/build/Release/kern.node', import.meta.url));

/** Cheap: whether the addon was built (does not load it, so no BLAS start-up). */
export function nativeAddonBuilt(): boolean {
  return existsSync(nativeAddonPath);
}

let loaded: { addon: NativeAddon | null; error?: string } | undefined;

/** Loads the addon once per thread with one BLAS thread; null (and the reason) when it is absent or fails to load. */
export function loadNativeAddon(): { addon: NativeAddon | null; error?: string } {
  if (loaded) return loaded;
  if (!nativeAddonBuilt()) return (loaded = { addon: null, error: 'native/build/Release/kern.node not built' });
  try {
    prepareBlasEnv();
    const addon = createRequire(import.meta.url)(nativeAddonPath) as NativeAddon;
    addon.setThreads(1);
    loaded = { addon };
  } catch (error) {
    loaded = { addon: null, error: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
  return loaded;
}
