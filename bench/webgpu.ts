// The GPU check: which WebGPU adapter this machine has, parity of the policy's train step against the CPU path
// (bench/webgpu-parity.ts), and steps/s of the train step on WebGPU next to the CPU path in the same run, per profile
// size and batch size, with the batch at which WebGPU overtakes (or that it does not). bench/gpu-check/ bundles it
// for a bare NVIDIA machine; here it runs on whatever adapter Dawn finds (lavapipe: pass --allow-software).
//   node --import tsx bench/webgpu.ts [--profiles tiny,wide] [--batches 32,128,512] [--seconds 4] [--tokens 30]
//                                     [--parity smoke,tiny] [--allow-software] [--out DIR] [--policies FILE]
// --policies: a JSON object profile -> PolicyConfig (the GPU check's bundle takes them from a file prepare.sh
// writes, since resolving a profile's policy from params.yaml pulls in the renderer and its native canvas).
// Both paths run one replica in this thread (the trainer of train/trainer.ts: the policy, ClippedAdam, clipping),
// on a synthetic batch of T tokens and one 64x64 image (perception's shape). The CPU path is the default stack
// (wasm+fused-openblas where the addon loads); training stages on 2+ cores add a second data-parallel worker (~1.5x).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import type { ComputeOptions } from '../vthinker/compute/options.ts';
import { Replica } from '../vthinker/compute/replica.ts';
import { initCompute } from '../vthinker/compute/setup.ts';
import { useWebgpu } from '../vthinker/compute/webgpu.ts';
import type { PolicyHostBatch } from '../vthinker/model/batch.ts';
import type { PolicyConfig } from '../vthinker/model/config.ts';
import { build, controlRows, CTL } from '../vthinker/train/trainer.ts';
import { syntheticBatch } from './synthetic-batch.ts';
import { parity, type ParityReport } from './webgpu-parity.ts';

export interface Timing {
  profile: string;
  parameters: number;
  batch: number;
  cpu: { id: string; stepsPerSec: number };
  webgpu: { id: string; stepsPerSec: number; firstStepSec: number };
}

/** Train steps/s of one in-thread replica on `compute` (two warm-up steps, the first timed: shader compilation). */
export async function replicaStepsPerSec(c: PolicyConfig, host: PolicyHostBatch, compute: ComputeOptions, seconds: number): Promise<{ id: string; stepsPerSec: number; firstStepSec: number; parameters: number }> {
  const { id } = await initCompute(compute);
  const trainer = await build({ policy: c, seed: 1 }, { rank: 0, world: 1 });
  const replica = new Replica(trainer);
  const batch = { ...host, [CTL]: controlRows(host.tokens.shape[0]!, 1e-4, 1, false, 0) };
  try {
    let t = performance.now();
    await replica.step(batch);
    const firstStepSec = (performance.now() - t) / 1000;
    await replica.step(batch);
    let steps = 0;
    t = performance.now();
    while (steps < 2 || performance.now() - t < seconds * 1000) {
      await replica.step(batch);
      steps++;
    }
    return { id, stepsPerSec: (steps * 1000) / (performance.now() - t), firstStepSec, parameters: replica.nParams };
  } finally {
    trainer.optimizer.dispose();
    tf.dispose(trainer.variables);
  }
}

/** The smallest batch at which WebGPU's steps/s beat the CPU path's, per profile (null: it never does here). */
export function overtakes(timings: readonly Timing[]): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const t of timings) {
    out[t.profile] ??= null;
    if (out[t.profile] === null && t.webgpu.stepsPerSec > t.cpu.stepsPerSec) out[t.profile] = t.batch;
  }
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      profiles: { type: 'string', default: 'tiny,wide' },
      batches: { type: 'string', default: '32,128,512' },
      seconds: { type: 'string', default: '4' },
      tokens: { type: 'string', default: '30' },
      parity: { type: 'string', default: 'smoke,tiny' },
      'allow-software': { type: 'boolean', default: false },
      out: { type: 'string' },
      policies: { type: 'string' },
    },
  });
  const policies = values.policies ? (JSON.parse(readFileSync(values.policies, 'utf8')) as Record<string, PolicyConfig>) : undefined;
  // A variable specifier, so that a bundle of this file does not take train-step.ts and the renderer with it.
  const trainStep = './train-step.ts';
  const profilePolicy = async (profile: string): Promise<PolicyConfig> => {
    if (policies) {
      if (!policies[profile]) throw new Error(`no policy for profile ${profile} in ${values.policies}`);
      return policies[profile]!;
    }
    return ((await import(trainStep)) as typeof import('./train-step.ts')).profilePolicy(profile);
  };
  const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
  const say = (line: string) => console.log(line);
  const adapter = await useWebgpu();
  say(`adapter: ${adapter.vendor}/${adapter.architecture} (${adapter.description || adapter.device})${adapter.fallback ? ' [software]' : ''}`);
  if (adapter.fallback && !values['allow-software']) {
    throw new Error('the WebGPU adapter is a software driver, not the GPU (see bench/README.md, GPU check: VK_DRIVER_FILES, VK_LOADER_DEBUG=driver); --allow-software measures it anyway');
  }
  const parities: Array<ParityReport & { profile: string }> = [];
  for (const profile of list(values.parity!)) {
    const c = await profilePolicy(profile);
    const r = await parity(c, syntheticBatch(c, 8, 30, 1));
    parities.push({ profile, ...r });
    const fmt = (xs: number[]) => xs.map((x) => x.toExponential(1)).join(' ');
    say(`parity ${profile} (${r.parameters} parameters, batch ${r.batch}, ${r.cpu} vs ${r.webgpu}): gradients ${r.gradRelErr.toExponential(2)}; SGD ${fmt(r.sgdRelErr)}; Adam loss ${fmt(r.adamLossRelErr)}, weights ${fmt(r.adamMaxDiffLr)} lr`);
  }
  const timings: Timing[] = [];
  for (const profile of list(values.profiles!)) {
    const c = await profilePolicy(profile);
    for (const batch of list(values.batches!).map(Number)) {
      const host = syntheticBatch(c, batch, Number(values.tokens), 1);
      const cpu = await replicaStepsPerSec(c, host, {}, Number(values.seconds));
      const gpu = await replicaStepsPerSec(c, host, { backend: 'webgpu' }, Number(values.seconds));
      timings.push({ profile, parameters: cpu.parameters, batch, cpu: { id: cpu.id, stepsPerSec: cpu.stepsPerSec }, webgpu: { id: gpu.id, stepsPerSec: gpu.stepsPerSec, firstStepSec: gpu.firstStepSec } });
      say(`${profile} batch ${batch}: ${cpu.id} ${cpu.stepsPerSec.toFixed(2)} steps/s (${(cpu.stepsPerSec * batch).toFixed(0)} samples/s) | ${gpu.id} ${gpu.stepsPerSec.toFixed(2)} steps/s (${(gpu.stepsPerSec * batch).toFixed(0)} samples/s; first step ${gpu.firstStepSec.toFixed(1)} s) | ratio ${(gpu.stepsPerSec / cpu.stepsPerSec).toFixed(2)}`);
    }
  }
  const crossover = overtakes(timings);
  for (const [profile, batch] of Object.entries(crossover)) say(`${profile}: ${batch === null ? 'WebGPU does not overtake the CPU path at these batch sizes' : `WebGPU overtakes the CPU path from batch ${batch}`}`);
  await initCompute({});
  if (values.out) {
    mkdirSync(values.out, { recursive: true });
    writeFileSync(join(values.out, 'webgpu-check.json'), `${JSON.stringify({ adapter, parities, timings, crossover, tokens: Number(values.tokens) }, null, 2)}\n`);
    say(`wrote ${join(values.out, 'webgpu-check.json')}`);
  }
}

// As a script, or as the bundle bench/gpu-check/ builds (it sets VTHINKER_GPU_CHECK=1).
if (process.argv[1]?.endsWith('/bench/webgpu.ts') || process.env.VTHINKER_GPU_CHECK === '1') {
  main().then(() => process.exit(0), (error: unknown) => {
    console.error(String((error as Error)?.stack ?? error));
    process.exit(1);
  });
}
