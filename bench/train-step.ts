// The policy's train step at each profile's size: steps/s and GFLOP/s of wall per compute configuration and worker
// count, and where the time of one step goes by kernel group. Prints figures; asserts nothing.
//   node --import tsx bench/train-step.ts [profile=wide] [seconds per measurement=6]
// The step is the one the training stages run: the profile's policy, batch 32, Adam with clipping (train/trainer.ts),
// on a synthetic batch of T tokens and K images (T=90, K=2 is rl1's batch before length buckets on `wide`).
import * as tf from '@tensorflow/tfjs-core';
import { fileURLToPath } from 'node:url';
import { loadParamsFile, resolveProfile } from '@vthinker/engine/api';
import { curriculumTokenizer } from '../stages/training.ts';
import { startDataParallel } from '../vthinker/compute/data-parallel.ts';
import type { ComputeOptions } from '../vthinker/compute/options.ts';
import { initCompute } from '../vthinker/compute/setup.ts';
import type { PolicyHostBatch } from '../vthinker/model/batch.ts';
import { syntheticBatch } from './synthetic-batch.ts';
export { syntheticBatch };
import type { PolicyConfig } from '../vthinker/model/config.ts';
import { createPolicy } from '../vthinker/model/policy.ts';
import { ClippedAdam } from '../vthinker/train/adam.ts';
import { perceptionPolicyConfig, type PerceptionModelParams } from '../vthinker/train/perception.ts';
import { controlRows, CTL, type PolicyTrainerConfig } from '../vthinker/train/trainer.ts';

/** The compute configurations compared: today's fused stack and the native stack it replaced. */
export const CONFIGS: ReadonlyArray<{ name: string; compute: ComputeOptions }> = [
  { name: 'native (before)', compute: { backend: 'wasm', fused: false } },
  { name: 'fused', compute: { backend: 'wasm', fused: true } },
];

/** A profile's params, resolved from params.yaml as `vthinker run --profile` resolves them. */
export const profileParams = (profile: string) =>
  resolveProfile(loadParamsFile(fileURLToPath(new URL('../params.yaml', import.meta.url))), profile).params;

/** A profile's policy, as the training stages build it from params.yaml. */
export const profilePolicy = (profile: string, params = profileParams(profile)): PolicyConfig =>
  perceptionPolicyConfig(curriculumTokenizer(), params.model as unknown as PerceptionModelParams);

/** Train steps/s of the data-parallel trainer (warm-up steps first), over about `seconds`. */
export async function stepsPerSecond(c: PolicyConfig, host: PolicyHostBatch, workers: number, compute: ComputeOptions, seconds: number): Promise<number> {
  const config: PolicyTrainerConfig = { policy: c, seed: 1 };
  const dp = await startDataParallel({ trainer: new URL('../vthinker/train/trainer.ts', import.meta.url), config, workers, compute });
  const batch = host.tokens.shape[0]!;
  const hb = { ...host, [CTL]: controlRows(batch, 1e-4, 1, false, 0) };
  try {
    for (let i = 0; i < 2; i++) await dp.step(hb);
    let steps = 0;
    const started = performance.now();
    while (steps < 3 || performance.now() - started < seconds * 1000) {
      await dp.step(hb);
      steps++;
    }
    return (steps * 1000) / (performance.now() - started);
  } finally {
    await dp.close();
  }
}

/** Multiply-adds x 2 of the matmuls, convolutions and attention products of one profiled kernel. */
function kernelFlops(name: string, inputs: number[][], outputs: number[][]): number {
  const size = (s: number[] = []) => s.reduce((a, b) => a * b, 1);
  const [a = [], b = []] = inputs;
  switch (name) {
    case 'BatchMatMul': case '_FusedMatMul': {
      const out = outputs[0]!, m = out.at(-2)!;
      return 2 * size(out) * (size(a.slice(-2)) / m);
    }
    case 'Conv2D': case '_FusedConv2D': return 2 * size(outputs[0]) * b[0]! * b[1]! * b[2]!;
    case 'Conv2DBackpropInput': return 2 * size(a) * b[0]! * b[1]! * b[2]!;
    case 'Conv2DBackpropFilter': return 2 * size(b) * size(outputs[0]) / b.at(-1)!;
    case 'VtAttention': return 4 * a[0]! * a[1]! * b[1]! * a[2]!;
    case 'VtAttentionGrad': return 8 * b[0]! * b[1]! * inputs[2]![1]! * b[2]!;
    default: return 0;
  }
}

const GROUPS: ReadonlyArray<[string, RegExp]> = [
  ['matmul', /^(BatchMatMul|_FusedMatMul)$/],
  ['conv', /^(Conv2D|Conv2DBackpropInput|Conv2DBackpropFilter|MaxPoolGrad|_FusedConv2D)$/],
  ['attention (fused)', /^VtAttention/],
  ['layer norm, Adam (fused)', /^Vt/],
  ['layout', /^(Slice|SplitV|Concat|Tile|Transpose|Reshape|Identity|Cast|GatherV2|Pad|StridedSlice|Reverse|OneHot|Pack|Unpack|Fill|ZerosLike|OnesLike|BroadcastTo|UnsortedSegmentSum)$/],
  ['reductions', /^(Sum|Mean|Max|Min|Prod|ArgMax|AddN)$/],
  ['elementwise', /./],
];

export interface StepProfile {
  /** Wall time of an unprofiled step, ms. */
  wallMs: number;
  gflop: number;
  kernelCalls: number;
  /** ms per step by kernel group, and 'JS between kernels' = wall minus the kernels' own time. */
  groups: Record<string, number>;
}

/** One step in this thread on the current backend, profiled kernel by kernel. */
export async function profileStep(c: PolicyConfig, host: PolicyHostBatch): Promise<StepProfile> {
  const policy = createPolicy(c, 1);
  const opt = new ClippedAdam(policy.variables, {});
  const step = () => tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => policy.loss(host), policy.variables);
    opt.applyGradients(grads);
    value.dataSync();
  });
  try {
    step();
    step();
    const started = performance.now();
    for (let i = 0; i < 3; i++) step();
    const wallMs = (performance.now() - started) / 3;
    const info = await tf.profile(step);
    const groups: Record<string, number> = Object.fromEntries(GROUPS.map(([g]) => [g, 0]));
    let gflop = 0, kernelMs = 0, calls = 0;
    for (const k of info.kernels) {
      // Ops built with customGrad show up as a scope around their kernels: counting both would count twice.
      if (k.name === 'unnamed scope' || k.name.endsWith('__op')) continue;
      const ms = k.kernelTimeMs as number;
      const group = GROUPS.find(([, pattern]) => pattern.test(k.name))![0];
      groups[group]! += ms;
      kernelMs += ms;
      calls++;
      gflop += kernelFlops(k.name, k.inputShapes as number[][], k.outputShapes as number[][]) / 1e9;
    }
    groups['JS between kernels'] = Math.max(0, wallMs - kernelMs);
    return { wallMs, gflop, kernelCalls: calls, groups };
  } finally {
    opt.dispose();
    policy.dispose();
  }
}

export interface TrainStepRow {
  profile: string;
  config: string;
  workers: number;
  stepsPerSec: number;
  gflopsWall: number;
}

/** Steps/s and GFLOP/s of wall of the profile's policy `c` for each configuration x workers, in one run, on one batch. */
export async function trainStepRows(profile: string, c: PolicyConfig, host: PolicyHostBatch, gflop: number, seconds: number): Promise<TrainStepRow[]> {
  const rows: TrainStepRow[] = [];
  for (const workers of [1, 2]) {
    for (const { name, compute } of CONFIGS) {
      const stepsPerSec = await stepsPerSecond(c, host, workers, compute, seconds);
      rows.push({ profile, config: name, workers, stepsPerSec, gflopsWall: stepsPerSec * gflop });
    }
  }
  return rows;
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const profile = process.argv[2] ?? 'wide';
  const seconds = Number(process.argv[3] ?? 6);
  const c = profilePolicy(profile);
  const host = syntheticBatch(c, 32, 90, 2);
  await initCompute({ backend: 'wasm', fused: true });
  const prof = await profileStep(c, host);
  console.log(`${profile}: T=90 K=2 batch 32: ${prof.gflop.toFixed(1)} GFLOP a step, ${prof.kernelCalls} kernel calls`);
  for (const [g, ms] of Object.entries(prof.groups)) console.log(`  ${g.padEnd(26)} ${ms.toFixed(1).padStart(7)} ms  ${((100 * ms) / prof.wallMs).toFixed(1).padStart(5)}%`);
  for (const r of await trainStepRows(profile, c, host, prof.gflop, seconds)) {
    console.log(`${r.config.padEnd(16)} ${r.workers} worker(s): ${r.stepsPerSec.toFixed(2)} steps/s, ${r.gflopsWall.toFixed(1)} GFLOP/s of wall`);
  }
}
