// `npm run bench`: the speed figures of issue #31 in one run, so their ratios come from one machine state.
//   sgemm peak; the train step of the tiny and default policies (before / fused, 1 and 2 workers, steps/s and GFLOP/s
//   of wall, the share of the step per kernel group); rl1's real steps where the flywheel has run; generation tokens/s
//   (full recompute vs KV cache); the engine's no-op run against Snakemake's.
// Prints figures; asserts nothing. BENCH_SECONDS (default 5) per train-step measurement.
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { initCompute } from '../vthinker/compute/setup.ts';
import { formatGeneration, measureGeneration } from './generation.ts';
import { sgemmPeak } from './sgemm-peak.ts';
import { stageStepRows } from './stage-step.ts';
import { profilePolicy, profileStep, syntheticBatch, trainStepRows } from './train-step.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const PROFILES = ['tiny', 'wide'] as const;
const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;

const one = sgemmPeak(1), all = sgemmPeak(cpus().length);
console.log(`## sgemm 2048^3 (OpenBLAS through the native addon)\n1 thread ${one?.toFixed(0) ?? '-'} GFLOP/s, ${cpus().length} threads ${all?.toFixed(0) ?? '-'} GFLOP/s`);
const peak = all ?? one ?? NaN;

console.log('\n## train step: batch 32, T=90, 2 images (rl1 before length buckets), Adam with clipping');
for (const profile of PROFILES) {
  const c = profilePolicy(profile);
  const host = syntheticBatch(c, 32, 90, 2);
  await initCompute({ backend: 'wasm', fused: true });
  const prof = await profileStep(c, host);
  await initCompute({ backend: 'wasm', fused: false });
  const before = await profileStep(c, host);
  console.log(`\n### ${profile}: ${prof.gflop.toFixed(1)} GFLOP of matmul/conv/attention a step; kernel calls ${before.kernelCalls} before, ${prof.kernelCalls} fused`);
  console.log('| kernel group (1 worker) | before ms | share | fused ms | share |\n|---|---|---|---|---|');
  for (const g of Object.keys(prof.groups)) {
    console.log(`| ${g} | ${before.groups[g]!.toFixed(1)} | ${pct(before.groups[g]!, before.wallMs)} | ${prof.groups[g]!.toFixed(1)} | ${pct(prof.groups[g]!, prof.wallMs)} |`);
  }
  console.log('\n| configuration | workers | steps/s | GFLOP/s of wall | share of the sgemm peak |\n|---|---|---|---|---|');
  const rows = await trainStepRows(profile, c, host, prof.gflop, seconds);
  for (const r of rows) console.log(`| ${r.config} | ${r.workers} | ${r.stepsPerSec.toFixed(2)} | ${r.gflopsWall.toFixed(1)} | ${pct(r.gflopsWall, peak)} |`);
  const best = (config: string) => Math.max(...rows.filter((r) => r.config === config).map((r) => r.stepsPerSec));
  console.log(`fastest fused / fastest before: ${(best('fused') / best('native (before)')).toFixed(2)}x`);
}

console.log('\n## rl1 steps on the real data (2 workers, batch building included)');
for (const profile of PROFILES) {
  const rows = await stageStepRows(profile, 30);
  if (!rows) {
    console.log(`${profile}: no artifacts/${profile}/verify/train.jsonl (vthinker run --profile ${profile} --until verify)`);
    continue;
  }
  for (const r of rows) console.log(`${profile} ${r.config.padEnd(26)} ${r.stepsPerSec.toFixed(2)} steps/s; tokens per example ${r.meanLength.toFixed(1)}, padded ${r.paddedLength.toFixed(1)}`);
  console.log(`${profile}: ${(rows[1]!.stepsPerSec / rows[0]!.stepsPerSec).toFixed(2)}x`);
}

console.log('\n## generation: batch 64, 100 new tokens; before = full recompute on the native stack, now = KV cache, fused');
for (const f of await measureGeneration(PROFILES, 100, 1, 64)) console.log(formatGeneration(f));

console.log('\n## engine');
const engine = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./engine.ts', import.meta.url))], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
process.stdout.write(engine.stdout);
