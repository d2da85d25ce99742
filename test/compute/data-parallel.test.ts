// Data parallelism: averaged shard gradients are the full-batch gradient, and two workers stay bit-identical.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs-core';
import { startDataParallel } from '../../vthinker/compute/data-parallel.ts';
import { shardOf } from '../../vthinker/compute/trainer.ts';
import { build, cnnBatch, type CnnConfig } from '../../vthinker/compute/workloads/cnn.ts';
import { relErr, useStack } from './helpers.ts';

const config: CnnConfig = { seed: 7, size: 16, channels: [4, 8], hidden: 16, classes: 5, learningRate: 1e-2 };
const cnnModule = new URL('../../vthinker/compute/workloads/cnn.ts', import.meta.url);

test('the mean of two half-batch gradients equals the full-batch gradient', async () => {
  await useStack('native');
  const trainer = await build(config, { rank: 0, world: 1 });
  const grads = (batch: ReturnType<typeof cnnBatch>) => tf.tidy(() => {
    const inputs = Object.fromEntries(Object.entries(batch).map(([k, v]) => [k, tf.tensor(v.data, v.shape)]));
    const { grads: g } = tf.variableGrads(() => trainer.loss(inputs), trainer.variables);
    return trainer.variables.map((v) => g[v.name]!.dataSync().slice() as Float32Array);
  });
  const batch = cnnBatch(config, 0, 8);
  const full = grads(batch);
  const [a, b] = [grads(shardOf(batch, 0, 2)), grads(shardOf(batch, 1, 2))];
  const err = Math.max(...full.map((f, i) => relErr(a[i]!.map((v, j) => (v + b[i]![j]!) / 2), f)));
  assert.ok(err < 1e-5, `relative error ${err}`);
  trainer.variables.forEach((v) => v.dispose());
});

test('shards must be equal', () => {
  assert.throws(() => shardOf(cnnBatch(config, 0, 5), 0, 2), /not divisible by 2 workers/);
});

test('2 workers: weights bit-identical after N steps, same loss curve as 1 worker', async () => {
  const curves: number[][] = [];
  for (const workers of [1, 2]) {
    const dp = await startDataParallel({ trainer: cnnModule, config, workers, compute: { backend: 'wasm' } });
    try {
      const losses: number[] = [];
      for (let s = 0; s < 6; s++) losses.push(await dp.step(cnnBatch(config, s, 8)));
      curves.push(losses);
      const weights = await dp.weights();
      assert.is(weights.length, workers);
      if (workers === 2) assert.ok(weights[0]!.every((w, i) => w.every((v, j) => Object.is(v, weights[1]![i]![j]))), 'replicas diverged');
    } finally {
      await dp.close();
    }
  }
  for (let i = 0; i < 6; i++) assert.ok(Math.abs(curves[0]![i]! - curves[1]![i]!) < 1e-4, `step ${i}: ${curves[0]![i]} vs ${curves[1]![i]}`);
});

test('a worker that fails to build reports the error instead of hanging', async () => {
  const error = await startDataParallel({ trainer: new URL('./no-such-trainer.ts', import.meta.url), config: {}, workers: 2 }).then(() => null, (e: Error) => e);
  assert.match(String(error), /data-parallel worker failed: .*no-such-trainer/);
});

test.run();
