// The compute stack's own matmul rate (1024 x 1024 float32, GFLOP/s) on the current tfjs backend: the yardstick
// that training throughput is read against (bench/compute.ts prints it per stack; training stages record it as a
// metric of the same run, so samples/s and GFLOP/s come from one machine state).
import * as tf from '@tensorflow/tfjs-core';

/** Repeats a 1024² matmul for about `seconds` (at least 3 times, after one warm-up) and returns GFLOP/s. */
export function matmulGflops(seconds = 1): number {
  const n = 1024;
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1), b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  // Returns nothing: tidy walks whatever it returns, and walking a 1M-element array costs more than the matmul.
  const run = () => tf.tidy(() => {
    tf.matMul(a, b).dataSync();
  });
  run();
  let reps = 0;
  const started = performance.now();
  while (reps < 3 || performance.now() - started < seconds * 1000) { run(); reps++; }
  tf.dispose([a, b]);
  return (2 * n ** 3 * reps) / ((performance.now() - started) / 1000) / 1e9;
}
