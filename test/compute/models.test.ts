// Whole-model gradients on each wasm stack against the cpu backend, the no-native fallback's loss curve, and leaks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs-core';
import type { BuildTrainer, HostBatch } from '../../vthinker/compute/trainer.ts';
import { build as buildCnn, cnnBatch, type CnnConfig } from '../../vthinker/compute/workloads/cnn.ts';
import { build as buildTr, transformerBatch, type TransformerConfig } from '../../vthinker/compute/workloads/transformer.ts';
import { Replica } from '../../vthinker/compute/replica.ts';
import { relErr, useCpu, useStack, type Stack } from './helpers.ts';

const cnn: CnnConfig = { seed: 5, size: 16, channels: [8, 16, 16], hidden: 32, classes: 10, learningRate: 1e-2 };
const tr: TransformerConfig = { seed: 5, vocab: 32, seq: 8, dim: 16, heads: 2, learningRate: 1e-2 };

async function gradients<C>(build: BuildTrainer<C>, config: C, batch: HostBatch): Promise<Float32Array[]> {
  const trainer = await build(config, { rank: 0, world: 1 });
  const out = tf.tidy(() => {
    const inputs = Object.fromEntries(Object.entries(batch).map(([k, v]) => [k, tf.tensor(v.data, v.shape)]));
    const { grads } = tf.variableGrads(() => trainer.loss(inputs), trainer.variables);
    return trainer.variables.map((v) => grads[v.name]!.dataSync().slice() as Float32Array);
  });
  trainer.variables.forEach((v) => v.dispose());
  return out;
}

const models = [
  ['cnn (conv + maxpool + dense)', () => gradients(buildCnn, cnn, cnnBatch(cnn, 0, 4))],
  ['transformer block (embedding gather + attention + MLP)', () => gradients(buildTr, tr, transformerBatch(tr, 0, 4))],
] as const;

for (const [name, grads] of models) {
  test(`${name}: every parameter's gradient matches cpu on each wasm stack`, async () => {
    await useCpu();
    const ref = await grads();
    for (const stack of ['stock', 'js', 'native', 'fused'] as Stack[]) {
      await useStack(stack);
      const got = await grads();
      const err = Math.max(...got.map((g, i) => relErr(g, ref[i]!)));
      assert.ok(err < 1e-5, `${stack}: max relative gradient error ${err}`);
    }
  });
}

async function lossCurve(stack: Stack, steps: number): Promise<{ losses: number[]; tensors: number[] }> {
  await useStack(stack);
  const trainer = await buildCnn(cnn, { rank: 0, world: 1 });
  const replica = new Replica(trainer);
  const losses: number[] = [], tensors: number[] = [];
  for (let s = 0; s < steps; s++) {
    losses.push(await replica.step(cnnBatch(cnn, s, 8)));
    tensors.push(tf.memory().numTensors);
  }
  trainer.variables.forEach((v) => v.dispose());
  trainer.optimizer.dispose();
  return { losses, tensors };
}

test('native disabled (the fallback when the addon is absent) and unfused train to the fused loss curve, without leaking tensors', async () => {
  const fused = await lossCurve('fused', 8);
  assert.ok(fused.losses[7]! < fused.losses[0]!, `the loss falls: ${fused.losses}`);
  for (const other of [await lossCurve('native', 8), await lossCurve('js', 8)]) {
    for (let i = 0; i < 8; i++) assert.ok(Math.abs(fused.losses[i]! - other.losses[i]!) < 1e-4 * Math.max(1, other.losses[i]!), `step ${i}: ${fused.losses[i]} vs ${other.losses[i]}`);
  }
  assert.equal(new Set(fused.tensors.slice(1)).size, 1, `tensor count per step: ${fused.tensors}`);
});

test.run();
