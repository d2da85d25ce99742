// A generic supervised training loop for the policy: seeded epoch shuffles, Adam with warmup + cosine decay,
// global-norm clipping, periodic evaluation, checkpoint save/resume, progress callbacks and per-step metrics.
//
// Determinism: the batch of step s is a pure function of (seed, s) (each epoch is its own seeded permutation), and
// the optimizer state is saved exactly, so a run resumed from a checkpoint reproduces the uninterrupted run's weights
// bit for bit on the same backend and worker count. With 2 workers the loss is a mean of shard means (exact for
// equal mask counts per shard; otherwise a slightly different weighting than a 1-worker run, still deterministic).
import { getPriority, setPriority } from 'node:os';
import { startDataParallel } from '../compute/data-parallel.ts';
import type { ComputeOptions } from '../compute/options.ts';
import { collate, type CollateOptions, type PolicyExample } from '../model/batch.ts';
import type { PolicyConfig } from '../model/config.ts';
import { createPolicy, type Policy } from '../model/policy.ts';
import { rng } from '../util/random.ts';
import * as tf from '@tensorflow/tfjs-core';
import type { AdamSettings } from './adam.ts';
import { commitCheckpoint, readLatest } from './checkpoint.ts';
import { learningRate } from './schedule.ts';
import { controlRows, CTL, type PolicyTrainerConfig } from './trainer.ts';

/**
 * A dataset read by index: an array, or a lazy source (e.g. examples rendered on demand from a seed). A lazy source
 * may say each example's token count without building it (`lengthOf`), which lets batches be bucketed by length.
 */
export type Dataset = readonly PolicyExample[] | { readonly length: number; get(index: number): PolicyExample; lengthOf?(index: number): number };

const exampleAt = (data: Dataset, i: number): PolicyExample => ('get' in data ? data.get(i) : (data as readonly PolicyExample[])[i]!);

export interface StepMetric {
  step: number;
  loss: number;
  lr: number;
  /** Examples per second over this step (wall clock, including batch building). */
  samplesPerSec: number;
}

export interface EvalRecord {
  step: number;
  metrics: Record<string, number>;
}

export interface SftOptions {
  policy: PolicyConfig;
  /** Seeds the weight init (when not starting from `init`) and the data order. */
  seed: number;
  /** Initial weights directory (e.g. the previous stage's output). Ignored when resuming from a checkpoint. */
  init?: string;
  steps: number;
  batchSize: number;
  lr: number;
  warmup: number;
  minLrRatio?: number;
  /** Global gradient-norm clip (0 = off; default 1). */
  clipNorm?: number;
  adam?: Partial<AdamSettings>;
  /** 1 (default) or 2 data-parallel workers; batchSize must be divisible by it. */
  workers?: number;
  compute?: ComputeOptions;
  collate?: CollateOptions;
  /** Save a checkpoint here every `checkpointEvery` steps and at the end; resume from it if one exists. */
  checkpointDir?: string;
  checkpointEvery?: number;
  /** Called every `evalEvery` steps and after the last, with a main-thread policy holding the current weights. */
  evalEvery?: number;
  evaluate?: (policy: Policy, step: number) => Record<string, number> | Promise<Record<string, number>>;
  onProgress?: (m: StepMetric) => void;
  /** Stop after this many steps of this call (to simulate a kill in tests); the schedule still spans `steps`. */
  stopAfter?: number;
  /**
   * Length buckets: the examples of each window of this many consecutive batches are sorted by length, cut into
   * batches again and those batches drawn in a seeded order (0 or 1: off). A batch pads to its longest example, so
   * similar lengths in a batch cut the padding (rl1: mean padded length 91 -> about 50 tokens with windows of 16).
   */
  bucketWindow?: number;
}

export interface SftResult {
  /** Metrics of every step of the run, including those before a resume (restored from the checkpoint). */
  metrics: StepMetric[];
  evals: EvalRecord[];
  /** Final weights in variable order (a policy can assign them). */
  weights: Float32Array[];
  /** Step this call started at (> 0 when it resumed). */
  resumedFrom: number;
  stepsDone: number;
  computeId: string;
}

/**
 * Lowers this (the main) thread's priority once the workers run. The workers step in lockstep, so building the next
 * batch here on the core of one of them delays both; at nice 10 the builder runs mostly while a worker waits for the
 * gradient exchange (wide rl1 on 2 cores: 2.67-2.84 -> 2.98 steps/s). Linux nices threads one by one, so the workers,
 * started before, keep their priority; an unprivileged process cannot raise it back, which is fine for a stage's own
 * process. Best effort: where the call is refused nothing changes.
 */
function yieldToWorkers(): void {
  try {
    if (getPriority() < 10) setPriority(10);
  } catch {
    // not permitted here: the batch builder competes as before
  }
}

/** The dataset indices of step `step`'s batch: consecutive slices of per-epoch seeded permutations. */
export function batchIndices(n: number, batchSize: number, seed: number, step: number): number[] {
  const out: number[] = [];
  let pos = step * batchSize;
  while (out.length < batchSize) {
    const perm = epochPermutation(n, seed, Math.floor(pos / n));
    out.push(perm[pos % n]!);
    pos++;
  }
  return out;
}

/** Length of example i: from the dataset's own `lengthOf` when it has one, else by reading the example. */
function lengthFn(data: Dataset): (i: number) => number {
  if ('get' in data) return data.lengthOf ? (i) => data.lengthOf!(i) : (i) => data.get(i).tokens.length;
  return (i) => (data as readonly PolicyExample[])[i]!.tokens.length;
}

/**
 * The batches of a run with length buckets over windows of `window` batches: step s's batch is still a pure function
 * of (seed, s), so a resumed run draws the same batches; every example of the window's batches is used exactly once.
 * One sampler per run: it caches the window it is in, for that dataset's lengths only.
 */
export function bucketSampler(n: number, batchSize: number, seed: number, window: number, lengthOf: (i: number) => number): (step: number) => number[] {
  if (window <= 1) return (step) => batchIndices(n, batchSize, seed, step);
  let cached: { w: number; batches: number[][] } | undefined;
  return (step) => {
    const w = Math.floor(step / window);
    if (cached?.w !== w) {
      const positions = Array.from({ length: window }, (_, k) => batchIndices(n, batchSize, seed, w * window + k)).flat();
      const sorted = positions.map((index, at) => ({ index, at, length: lengthOf(index) }))
        .sort((a, b) => a.length - b.length || a.at - b.at).map((e) => e.index);
      const batches = Array.from({ length: window }, (_, k) => sorted.slice(k * batchSize, (k + 1) * batchSize));
      cached = { w, batches: rng(seed).fork(`buckets/${w}`).shuffle(batches) };
    }
    return cached.batches[step % window]!;
  };
}

// The permutation is recomputed only when the epoch changes (a large lazy dataset would otherwise pay O(n) a step).
let permCache: { key: string; perm: number[] } | undefined;
function epochPermutation(n: number, seed: number, epoch: number): number[] {
  const key = `${n}/${seed}/${epoch}`;
  if (permCache?.key !== key) permCache = { key, perm: rng(seed).fork(`epoch/${epoch}`).shuffle(Array.from({ length: n }, (_, i) => i)) };
  return permCache.perm;
}

export async function runSft(data: Dataset, o: SftOptions): Promise<SftResult> {
  if (data.length === 0) throw new Error('runSft: empty dataset');
  const workers = o.workers ?? 1;
  const clip = o.clipNorm ?? 1;
  const latest = o.checkpointDir ? readLatest(o.checkpointDir) : undefined;
  const start = latest?.step ?? 0;
  const metrics: StepMetric[] = latest ? ((latest.extra.metrics as StepMetric[] | undefined) ?? []).slice(0, start) : [];
  const evals: EvalRecord[] = latest ? ((latest.extra.evals as EvalRecord[] | undefined) ?? []) : [];
  const trainerConfig: PolicyTrainerConfig = {
    policy: o.policy, seed: o.seed, adam: o.adam,
    ...(latest ? { init: latest.path } : o.init ? { init: o.init } : {}),
    ...(o.checkpointDir ? { checkpointDir: o.checkpointDir } : {}),
  };
  const dp = await startDataParallel({ trainer: new URL('./trainer.ts', import.meta.url), config: trainerConfig, workers, compute: o.compute });
  if (workers > 1) yieldToWorkers();
  const batchAt = bucketSampler(data.length, o.batchSize, o.seed, o.bucketWindow ?? 0, lengthFn(data));
  let evalPolicy: Policy | undefined;
  const evaluateNow = async (step: number) => {
    if (!o.evaluate) return;
    const weights = (await dp.weights())[0]!;
    evalPolicy ??= createPolicy(o.policy, o.seed);
    const p = evalPolicy;
    p.variables.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(weights[i]!, v.shape, 'float32'))));
    evals.push({ step, metrics: await o.evaluate(p, step) });
  };
  try {
    const end = Math.min(o.steps, start + (o.stopAfter ?? Infinity));
    const batchOf = (step: number) =>
      collate(o.policy, batchAt(step).map((i) => exampleAt(data, i)), o.collate);
    let batch = start < end ? batchOf(start) : undefined;
    for (let step = start; step < end; step++) {
      const t0 = performance.now();
      const lr = learningRate(step, { lr: o.lr, warmup: o.warmup, steps: o.steps, minRatio: o.minLrRatio });
      const last = step + 1 === o.steps;
      const save = !!o.checkpointDir && (last || (!!o.checkpointEvery && (step + 1) % o.checkpointEvery === 0));
      const pending = dp.step({ ...batch!, [CTL]: controlRows(o.batchSize, lr, clip, save, step) });
      // The next batch is built while the workers compute this one: rendering its examples' views takes about a
      // sixth of an rl1 step, which the step used to wait for.
      batch = step + 1 < end ? batchOf(step + 1) : undefined;
      const loss = await pending;
      const m: StepMetric = { step, loss, lr, samplesPerSec: (o.batchSize * 1000) / (performance.now() - t0) };
      metrics.push(m);
      o.onProgress?.(m);
      if (o.evalEvery && ((step + 1) % o.evalEvery === 0 || last)) await evaluateNow(step + 1);
      if (save) commitCheckpoint(o.checkpointDir!, step + 1, { metrics, evals });
    }
    const weights = (await dp.weights())[0]!;
    return { metrics, evals, weights, resumedFrom: start, stepsDone: end, computeId: dp.computeId };
  } finally {
    evalPolicy?.dispose();
    await dp.close();
  }
}
