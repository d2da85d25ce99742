// The machine's sgemm peak through the native addon (OpenBLAS, 2048^3 float32): the yardstick for the train step's
// GFLOP/s of wall. One BLAS thread, and all the cores' threads (what 2 data-parallel workers could reach at best).
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadNativeAddon } from '../vthinker/compute/native-addon.ts';

/** GFLOP/s of repeated 2048^3 sgemm over about `seconds`, with `threads` BLAS threads; null without the addon. */
export function sgemmPeak(threads: number, seconds = 2): number | null {
  const { addon } = loadNativeAddon();
  if (!addon) return null;
  const n = 2048;
  const a = Float32Array.from({ length: n * n }, (_, i) => (i % 7) / 7), b = Float32Array.from({ length: n * n }, (_, i) => (i % 5) / 5);
  const out = new Float32Array(n * n);
  addon.setThreads(threads);
  try {
    addon.bmm(a, b, out, 1, 1, n, n, n, 0, 0);
    let reps = 0;
    const started = performance.now();
    while (reps < 3 || performance.now() - started < seconds * 1000) {
      addon.bmm(a, b, out, 1, 1, n, n, n, 0, 0);
      reps++;
    }
    return (2 * n ** 3 * reps) / ((performance.now() - started) / 1000) / 1e9;
  } finally {
    addon.setThreads(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`sgemm 2048^3: ${sgemmPeak(1)?.toFixed(0)} GFLOP/s on 1 thread, ${sgemmPeak(cpus().length)?.toFixed(0)} on ${cpus().length}`);
}
