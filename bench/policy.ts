// The policy's speed and the proof that it learns. Prints figures; asserts nothing.
//   node --import tsx bench/policy.ts speed [seconds per measurement, default 4]
//   node --import tsx bench/policy.ts toys [steps, default 1500] [workers, default 1]
//   node --import tsx bench/policy.ts backends [seconds per measurement, default 6]
// backends: the policy's train steps/s (T=32, 1 image, batch 32) per compute configuration, in one run: stock wasm
// (with only the missing/broken kernels fixed), JS kernel overrides, native OpenBLAS, the fused stack; 1 and 2 workers.
// speed: train-step and forward throughput of the default config (batch 32; short and full-length sequences; 1 and
// 3 images), 1 vs 2 data-parallel workers, and generation tokens/s at batch 64.
// toys: trains on the synthetic toy tasks of vthinker/train/toy.ts and reports loss curves and held-out accuracy.
import * as tf from '@tensorflow/tfjs-core';
import { startDataParallel } from '../vthinker/compute/data-parallel.ts';
import type { ComputeOptions } from '../vthinker/compute/options.ts';
import { describeCompute, initCompute } from '../vthinker/compute/setup.ts';
import { collate, type PolicyExample } from '../vthinker/model/batch.ts';
import { defaultPolicyConfig, type PolicyConfig } from '../vthinker/model/config.ts';
import { createPolicy } from '../vthinker/model/policy.ts';
import { runSft } from '../vthinker/train/sft.ts';
import { locateItem, scoreToy, TOY, twoImageItem, type ToyItem } from '../vthinker/train/toy.ts';
import { controlRows, CTL, type PolicyTrainerConfig } from '../vthinker/train/trainer.ts';
import { rng } from '../vthinker/util/random.ts';
import { stepsPerSecond } from './train-step.ts';

const mode = process.argv[2] ?? 'speed';
const info = await initCompute();
console.log(`compute: ${info.id}`);

function syntheticExample(c: PolicyConfig, seed: number, len: number, images: number): PolicyExample {
  const r = rng(seed);
  const tokens = Array.from({ length: len }, () => r.int(1, c.vocab - 1));
  const step = Math.max(1, Math.floor(len / images));
  return {
    tokens,
    visible: tokens.map((_, i) => Math.min(images, 1 + Math.floor(i / step))),
    lossMask: tokens.map((_, i) => (i > len / 4 ? 1 : 0)),
    images: Array.from({ length: images }, (_, k) => Float32Array.from({ length: c.imageSide ** 2 * 3 }, (_, i) => ((i * 7 + k * 13 + seed) % 17) / 17)),
  };
}

async function speed(seconds: number): Promise<void> {
  const c = defaultPolicyConfig;
  const p = createPolicy(c, 1);
  console.log(`config ${JSON.stringify(c)}: ${p.params.count} parameters`);
  const batch = 32;
  for (const [len, images] of [[16, 1], [64, 1], [64, 3]] as const) {
    const host = collate(c, Array.from({ length: batch }, (_, i) => syntheticExample(c, i, len, images)));
    const fwd = () => tf.tidy(() => void p.forward(host).dataSync());
    fwd();
    let n = 0;
    const t0 = performance.now();
    while (n < 3 || performance.now() - t0 < seconds * 500) { fwd(); n++; }
    const fwdRate = (n * batch * 1000) / (performance.now() - t0);
    const rates: string[] = [];
    for (const workers of [1, 2]) {
      const config: PolicyTrainerConfig = { policy: c, seed: 1 };
      const dp = await startDataParallel({ trainer: new URL('../vthinker/train/trainer.ts', import.meta.url), config, workers });
      const hb = { ...host, [CTL]: controlRows(batch, 1e-4, 1, false, 0) };
      for (let i = 0; i < 2; i++) await dp.step(hb);
      let steps = 0;
      const s0 = performance.now();
      while (steps < 3 || performance.now() - s0 < seconds * 1000) { await dp.step(hb); steps++; }
      const sps = (steps * 1000) / (performance.now() - s0);
      rates.push(`${workers} worker${workers > 1 ? 's' : ''}: ${sps.toFixed(2)} steps/s = ${(sps * batch).toFixed(0)} ex/s`);
      await dp.close();
    }
    console.log(`T=${len} K=${images} batch ${batch}: forward ${fwdRate.toFixed(0)} ex/s; train ${rates.join('; ')}`);
  }
  // Generation: batch 64 prompts of 16 tokens + 1 image, 32 new tokens each at temperature 1.
  const prompts = Array.from({ length: 64 }, (_, i) => syntheticExample(c, 100 + i, 16, 1));
  p.generate(prompts.slice(0, 2), { maxTokens: 2, temperature: 1 }, rng(0));
  const g0 = performance.now();
  const g = p.generate(prompts, { maxTokens: 32, temperature: 1 }, rng(1));
  const made = g.tokens.reduce((s, t) => s + t.length, 0);
  console.log(`generate batch 64, 16-token prompts, 32 new tokens: ${((made * 1000) / (performance.now() - g0)).toFixed(0)} tokens/s`);
  p.dispose();
}

async function toy(name: string, make: (seed: number) => ToyItem, steps: number, workers: number): Promise<void> {
  // Training examples are rendered on demand (0.7 ms each), so every step sees fresh images: a fixed set of 3000
  // was memorised (train loss 0.01, held-out within-1-bin stuck at 16% after 3000 steps).
  const train = { length: 1_000_000, get: (i: number) => make(i).example };
  const test = Array.from({ length: 300 }, (_, i) => make(2_000_000 + i));
  const policy: PolicyConfig = { ...defaultPolicyConfig, vocab: TOY.VOCAB, maxSeq: 16 };
  const t0 = performance.now();
  let window: number[] = [];
  const curve: string[] = [];
  const res = await runSft(train, {
    policy, seed: 1, steps, batchSize: 32, lr: 2e-3, warmup: 50, workers,
    evalEvery: Math.round(steps / 6), evaluate: (p) => ({ ...scoreToy(p, test) }),
    onProgress: (m) => {
      window.push(m.loss);
      if ((m.step + 1) % 100 === 0) {
        curve.push(`${m.step + 1}:${(window.reduce((a, b) => a + b, 0) / window.length).toFixed(3)}`);
        window = [];
      }
    },
  });
  const untrained = createPolicy(policy, 1);
  const chance = scoreToy(untrained, test);
  untrained.dispose();
  const secs = (performance.now() - t0) / 1000;
  console.log(`\n== ${name}: ${steps} steps, batch 32, ${workers} worker(s), ${secs.toFixed(0)} s (${((steps * 32) / secs).toFixed(0)} ex/s incl. evals)`);
  console.log(`loss (mean per 100 steps): ${curve.join(' ')}`);
  console.log(`untrained: ${fmt({ ...chance })}`);
  for (const e of res.evals) console.log(`step ${e.step}: ${fmt(e.metrics)}`);
}

const fmt = (m: Record<string, number>) => `within 1 bin ${(100 * m.within1!).toFixed(1)}%, exact ${(100 * m.exact!).toFixed(1)}%, mean |err| ${m.meanAbsBins!.toFixed(2)} bins`;

/** Train steps/s of the default policy under one compute configuration (workers build their own backend). */
async function trainRate(compute: ComputeOptions, workers: number, seconds: number): Promise<{ id: string; rate: number }> {
  const c = defaultPolicyConfig;
  const host = collate(c, Array.from({ length: 32 }, (_, i) => syntheticExample(c, i, 32, 1)));
  return { id: describeCompute(compute).id, rate: await stepsPerSecond(c, host, workers, compute, seconds) };
}

async function backends(seconds: number): Promise<void> {
  const rows: Array<[string, ComputeOptions, number]> = [
    ['stock wasm', { native: false, overrides: false }, 1],
    ['JS kernel overrides', { native: false, overrides: true }, 1],
    ['native OpenBLAS', { native: true, overrides: true, fused: false }, 1],
    ['native OpenBLAS + 2 workers', { native: true, overrides: true, fused: false }, 2],
    ['fused native kernels', { native: true, overrides: true }, 1],
    ['fused native kernels + 2 workers', { native: true, overrides: true }, 2],
  ];
  let base = 0;
  console.log(`policy train step, T=32, 1 image, batch 32 (${seconds} s per row)`);
  for (const [name, compute, workers] of rows) {
    const { id, rate } = await trainRate(compute, workers, seconds);
    base ||= rate;
    console.log(`${name.padEnd(30)} ${id.padEnd(22)} ${rate.toFixed(2).padStart(6)} steps/s  ${(rate / base).toFixed(1).padStart(5)}x`);
  }
}

if (mode === 'speed') await speed(Number(process.argv[3] ?? 4));
else if (mode === 'backends') await backends(Number(process.argv[3] ?? 6));
else if (mode === 'toys') {
  const steps = Number(process.argv[3] ?? 1500), workers = Number(process.argv[4] ?? 1);
  await toy('locate the <colour> point (2-4 points)', (s) => locateItem(s, 'color'), steps, workers);
  await toy('two images: the red point of the second image', (s) => twoImageItem(s), steps, workers);
  await toy('locate point <label> (2-4 labelled points)', (s) => locateItem(s, 'label'), steps, workers);
} else throw new Error(`unknown mode ${mode}: speed | toys | backends`);
