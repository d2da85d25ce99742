// The SFT loop: schedule, seeded data order, loss goes down, and a killed-then-resumed run reproduces the
// uninterrupted run's weights bit for bit.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCompute } from '../../vthinker/compute/setup.ts';
import type { PolicyExample } from '../../vthinker/model/batch.ts';
import type { PolicyConfig } from '../../vthinker/model/config.ts';
import { loadWeights } from '../../vthinker/model/weights.ts';
import { learningRate } from '../../vthinker/train/schedule.ts';
import { batchIndices, bucketSampler, runSft, type SftOptions } from '../../vthinker/train/sft.ts';
import { rng } from '../../vthinker/util/random.ts';

const policy: PolicyConfig = {
  vocab: 24, maxSeq: 12, maxImages: 2, imageSide: 16, convChannels: [8, 16], convStrides: [2, 2], coordChannels: true,
  dim: 32, layers: 1, heads: 2, mlpRatio: 2,
};

/** A copy task whose answer is the image's brightest quadrant: learnable in a few dozen steps. */
function dataset(n: number): PolicyExample[] {
  const r = rng(42);
  return Array.from({ length: n }, () => {
    const q = r.int(0, 3);
    const img = new Float32Array(16 * 16 * 3).fill(1);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) for (let c = 0; c < 3; c++) img[((y + 8 * (q >> 1)) * 16 + x + 8 * (q & 1)) * 3 + c] = 0;
    const a = r.int(10, 20);
    return { tokens: [1, 2, a, 3, 4 + q, a], visible: [0, 1, 1, 1, 1, 1], lossMask: [0, 0, 0, 0, 1, 1], images: [img] };
  });
}

const data = dataset(64);
const base: SftOptions = { policy, seed: 3, steps: 12, batchSize: 8, lr: 3e-3, warmup: 3, clipNorm: 1, workers: 1 };

test.before(async () => {
  await initCompute();
});

test('schedule: warmup then cosine to minRatio', () => {
  const o = { lr: 1, warmup: 10, steps: 110, minRatio: 0.1 };
  assert.ok(Math.abs(learningRate(0, o) - 0.1) < 1e-12);
  assert.ok(Math.abs(learningRate(9, o) - 1) < 1e-12);
  assert.ok(Math.abs(learningRate(60, o) - 0.55) < 1e-9);
  assert.ok(Math.abs(learningRate(110, o) - 0.1) < 1e-12);
});

test('data order: seeded, every example once per epoch', () => {
  const e0 = [0, 1, 2, 3].flatMap((s) => batchIndices(32, 8, 5, s));
  assert.equal([...e0].sort((a, b) => a - b), Array.from({ length: 32 }, (_, i) => i));
  assert.equal(batchIndices(32, 8, 5, 6), batchIndices(32, 8, 5, 6));
  assert.not.equal(batchIndices(32, 8, 5, 4), batchIndices(32, 8, 6, 4));
});

test('training reduces the loss; evaluation and progress callbacks fire', async () => {
  const seen: number[] = [];
  const res = await runSft(data, { ...base, steps: 40, evalEvery: 20, evaluate: (_p, step) => ({ step }), onProgress: (m) => seen.push(m.step) });
  assert.is(res.metrics.length, 40);
  assert.equal(seen, Array.from({ length: 40 }, (_, i) => i));
  assert.equal(res.evals.map((e) => e.step), [20, 40]);
  const first = res.metrics.slice(0, 5).reduce((s, m) => s + m.loss, 0) / 5, last = res.metrics.slice(-5).reduce((s, m) => s + m.loss, 0) / 5;
  assert.ok(last < first * 0.6, `loss ${first} -> ${last}`);
});

test('resume after a kill reproduces the uninterrupted run exactly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sft-'));
  try {
    const full = await runSft(data, { ...base, checkpointDir: join(dir, 'full'), checkpointEvery: 4 });
    const part = await runSft(data, { ...base, checkpointDir: join(dir, 'killed'), checkpointEvery: 4, stopAfter: 6 });
    assert.is(part.stepsDone, 6);
    // steps 4..5 ran after the last checkpoint and are lost, as after a real kill; the resume restarts at step 4
    const resumed = await runSft(data, { ...base, checkpointDir: join(dir, 'killed'), checkpointEvery: 4 });
    assert.is(resumed.resumedFrom, 4);
    assert.equal(resumed.metrics.map((m) => m.loss), full.metrics.map((m) => m.loss));
    resumed.weights.forEach((w, i) => assert.ok(w.every((v, j) => Object.is(v, full.weights[i]![j])), `tensor ${i} differs`));
    // the final checkpoint is loadable as plain weights
    assert.ok(existsSync(join(dir, 'full', 'latest.json')));
    const p = loadWeights(join(dir, 'full', 'step-0000012'));
    assert.equal(p.config, policy);
    p.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('2 workers: same loss curve as 1 worker (equal mask counts per shard); rank 0 writes checkpoints', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sft2-'));
  try {
    const one = await runSft(data, { ...base, steps: 4 });
    const two = await runSft(data, { ...base, steps: 4, workers: 2, checkpointDir: dir, checkpointEvery: 2 });
    one.metrics.forEach((m, i) => assert.ok(Math.abs(m.loss - two.metrics[i]!.loss) < 1e-4, `step ${i}: ${m.loss} vs ${two.metrics[i]!.loss}`));
    const p = loadWeights(join(dir, 'step-0000004'));
    p.variables.forEach((v, i) => assert.ok((v.dataSync() as Float32Array).every((x, j) => Object.is(x, two.weights[i]![j])), `tensor ${i}`));
    p.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('length buckets: a pure function of (seed, step) that uses each example of a window once and cuts padding', () => {
  const n = 100, batch = 8, window = 5;
  const lengths = Array.from({ length: n }, (_, i) => 10 + ((i * 37) % 50));
  const lengthOf = (i: number) => lengths[i]!;
  for (const w of [0, 1, 3]) {
    const sample = bucketSampler(n, batch, 9, window, lengthOf);
    const bucketed = Array.from({ length: window }, (_, k) => sample(w * window + k));
    const plain = Array.from({ length: window }, (_, k) => batchIndices(n, batch, 9, w * window + k));
    assert.equal(bucketed.flat().sort((a, b) => a - b), plain.flat().sort((a, b) => a - b), `window ${w}: the same examples`);
    const padded = (batches: number[][]) => batches.reduce((sum, b) => sum + Math.max(...b.map(lengthOf)), 0);
    assert.ok(padded(bucketed) < padded(plain), `window ${w}: padded length ${padded(bucketed)} vs ${padded(plain)}`);
    for (const b of bucketed) assert.ok(Math.max(...b.map(lengthOf)) - Math.min(...b.map(lengthOf)) <= 20, `a bucket spans similar lengths: ${b.map(lengthOf)}`);
  }
  // Asking for a step out of order (a resumed run) gives the same batch.
  const sample = bucketSampler(n, batch, 9, window, lengthOf);
  const first = sample(7);
  sample(20);
  assert.equal(sample(7), first);
  assert.equal(bucketSampler(n, batch, 9, window, lengthOf)(7), first, 'a new sampler (a resumed run) draws the same batch');
  assert.equal(bucketSampler(n, batch, 9, 1, lengthOf)(4), batchIndices(n, batch, 9, 4), 'window 1: off');
  // Two datasets of the same size in one process get their own buckets.
  const reversed = (i: number) => -lengthOf(i);
  assert.not.equal(bucketSampler(n, batch, 9, window, reversed)(7), first, 'buckets follow the dataset\'s lengths');
});

test.run();
