import { profilePolicy, syntheticBatch, stepsPerSecond } from '/work/wtB/bench/train-step.ts';
const c = profilePolicy('smoke');
const host = syntheticBatch(c, 8, 30, 1);
for (const compute of [{ backend: 'wasm' as const }, { backend: 'webgpu' as const }]) {
  const t0 = performance.now();
  const sps = await stepsPerSecond(c, host, 1, compute, 3);
  console.log(compute.backend, sps.toFixed(2), 'steps/s', ((performance.now() - t0) / 1000).toFixed(1), 's');
}
process.exit(0);
