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
  /** Layer norm over rows of x [rows, d]: writes y, and per row the mean and 1/sqrt(var + eps). */
  layerNorm(x: Float32Array, g: Float32Array, b: Float32Array, y: Float32Array, mean: Float32Array, rstd: Float32Array,
    rows: number, d: number, epsilon: number): void;
  layerNormGrad(dy: Float32Array, x: Float32Array, g: Float32Array, mean: Float32Array, rstd: Float32Array,
    dx: Float32Array, dg: Float32Array, db: Float32Array, rows: number, d: number): void;
  adam(x: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, nx: Float32Array, nm: Float32Array, nv: Float32Array,
    lr: number, beta1: number, beta2: number, epsilon: number, bc1: number, bc2: number, scale: number, weightDecay: number): void;
  sumSquares(x: Float32Array): number;
  /** out[c] = Σ_r x[r, c]. */
  sumRows(x: Float32Array, out: Float32Array, rows: number, cols: number): void;
  /** Multi-head attention with computed masks (native/kern.c): writes out [B,T,D] and probs [B,H,T,S]. */
  attention(q: Float32Array, k: Float32Array, v: Float32Array, out: Float32Array, probs: Float32Array,
    B: number, T: number, S: number, D: number, H: number, causal: number, scale: number,
    visible: Float32Array | null, keyImage: Float32Array | null, bias: Float32Array | null, biasB: number, biasT: number): void;
  attentionGrad(dout: Float32Array, q: Float32Array, k: Float32Array, v: Float32Array, probs: Float32Array,
    dq: Float32Array, dk: Float32Array, dv: Float32Array, B: number, T: number, S: number, D: number, H: number, scale: number): void;
  setThreads(n: number): void;
  coreName(): string;
}

/** Batch, queries, keys, width, heads, causal (0/1), score scale. */
export type AttentionShape = [B: number, T: number, S: number, D: number, H: number, causal: number, scale: number];

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
