// Training throughput of the two COMPUTE.md reference workloads on each compute stack, plus matmul GFLOP/s.
// Prints figures; asserts nothing. Run: node --import tsx bench/compute.ts [seconds per measurement, default 4]
import { startDataParallel, type DataParallel } from '../vthinker/compute/data-parallel.ts';
import type { ComputeOptions } from '../vthinker/compute/options.ts';
import { initCompute } from '../vthinker/compute/setup.ts';
import { matmulGflops } from '../vthinker/compute/matmul-rate.ts';
import type { HostBatch } from '../vthinker/compute/trainer.ts';
import { cnnBatch, referenceCnn } from '../vthinker/compute/workloads/cnn.ts';
import { referenceTransformer, transformerBatch } from '../vthinker/compute/workloads/transformer.ts';

const seconds = Number(process.argv[2] ?? 4);
const batchSize = 32;
const workloads = [
  { name: 'CNN 146k', module: new URL('../vthinker/compute/workloads/cnn.ts', import.meta.url), config: referenceCnn,
    batches: Array.from({ length: 4 }, (_, s) => cnnBatch(referenceCnn, s, batchSize)) },
  { name: 'transformer', module: new URL('../vthinker/compute/workloads/transformer.ts', import.meta.url), config: referenceTransformer,
    batches: Array.from({ length: 4 }, (_, s) => transformerBatch(referenceTransformer, s, batchSize)) },
];
const configs: Array<{ name: string; compute: ComputeOptions; workers: number }> = [
  { name: 'stock wasm', compute: { backend: 'wasm', overrides: false }, workers: 1 },
  { name: 'JS overrides', compute: { backend: 'wasm', native: false }, workers: 1 },
  { name: 'native', compute: { backend: 'wasm', native: true, fused: false }, workers: 1 },
  { name: 'native + 2 workers', compute: { backend: 'wasm', native: true, fused: false }, workers: 2 },
  { name: 'fused', compute: { backend: 'wasm', native: true }, workers: 1 },
  { name: 'fused + 2 workers', compute: { backend: 'wasm', native: true }, workers: 2 },
];

async function stepsPerSecond(dp: DataParallel, batches: HostBatch[]): Promise<number> {
  for (let i = 0; i < 2; i++) await dp.step(batches[i % batches.length]!);
  let steps = 0;
  const started = performance.now();
  while (steps < 3 || performance.now() - started < seconds * 1000) await dp.step(batches[steps++ % batches.length]!);
  return (steps * 1000) / (performance.now() - started);
}

const rows: string[][] = [];
for (const c of configs) {
  const row = [c.name];
  let id = '';
  for (const w of workloads) {
    const dp = await startDataParallel({ trainer: w.module, config: w.config, workers: c.workers, compute: c.compute });
    id = dp.computeId;
    row.push((await stepsPerSecond(dp, w.batches)).toFixed(1));
    await dp.close();
  }
  if (c.workers === 1) {
    await initCompute(c.compute);
    row.push(matmulGflops().toFixed(0));
  } else row.push('-');
  rows.push([...row.slice(0, 1), id, ...row.slice(1)]);
  console.log(rows.at(-1)!.join(' | '));
}
const base = rows[0]!;
console.log(`\n| configuration | compute id | CNN steps/s | transformer steps/s | x stock (CNN / tr) | matmul 1024² GFLOP/s |`);
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  const ratio = `${(Number(r[2]) / Number(base[2])).toFixed(1)} / ${(Number(r[3]) / Number(base[3])).toFixed(1)}`;
  console.log(`| ${r[0]} | ${r[1]} | ${r[2]} | ${r[3]} | ${ratio} | ${r[4]} |`);
}
console.log(`\nbatch ${batchSize}; ${seconds} s per measurement after 2 warm-up steps; OPENBLAS_CORETYPE=${process.env.OPENBLAS_CORETYPE ?? '(unset)'}`);
