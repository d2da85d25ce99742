// The policy network: shapes, determinism, the image-visibility mask, masked loss, generation and weight files.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initCompute } from '../../vthinker/compute/setup.ts';
import { collate, type PolicyExample } from '../../vthinker/model/batch.ts';
import type { PolicyConfig } from '../../vthinker/model/config.ts';
import { createPolicy, sample } from '../../vthinker/model/policy.ts';
import { loadWeights, saveWeights } from '../../vthinker/model/weights.ts';
import { rng } from '../../vthinker/util/random.ts';

const config: PolicyConfig = {
  vocab: 40, maxSeq: 16, maxImages: 3, imageSide: 16, convChannels: [8, 16], convStrides: [2, 2], coordChannels: true,
  dim: 32, layers: 2, heads: 4, mlpRatio: 2,
};

function randomImage(seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: 16 * 16 * 3 }, () => r.next());
}

function example(seed: number, n = 10, images = 2): PolicyExample {
  const r = rng(seed);
  const tokens = Array.from({ length: n }, () => r.int(1, 39));
  // image 0 visible from position 2, image 1 from position 6
  const visible = tokens.map((_, i) => (i >= 6 ? 2 : i >= 2 ? 1 : 0)).map((v) => Math.min(v, images));
  return { tokens, visible, lossMask: tokens.map((_, i) => (i >= 3 ? 1 : 0)), images: Array.from({ length: images }, (_, k) => randomImage(seed * 10 + k)) };
}

test.before(async () => {
  await initCompute();
});

test('forward: logits [B, T, V], same seed same weights and outputs', () => {
  const a = createPolicy(config, 3), b = createPolicy(config, 3), c = createPolicy(config, 4);
  const batch = collate(config, [example(1), example(2, 7, 1)]);
  const la = a.forward(batch), lb = b.forward(batch), lc = c.forward(batch);
  assert.equal(la.shape, [2, 10, 40]);
  assert.equal(Array.from(la.dataSync()), Array.from(lb.dataSync()));
  assert.not.equal(Array.from(la.dataSync()), Array.from(lc.dataSync()));
  tf.dispose([la, lb, lc]);
  [a, b, c].forEach((p) => p.dispose());
});

for (const [name, cfg] of [['grid', config], ['grid + pooled token', { ...config, pooledToken: true }]] as const) test(`an image cannot influence positions before it becomes visible (${name})`, () => {
  const p = createPolicy(cfg, 5);
  const e1 = example(7), e2 = { ...e1, images: [e1.images[0]!, randomImage(999)] };
  const [l1, l2] = [p.forward(collate(cfg, [e1])), p.forward(collate(cfg, [e2]))];
  const d = Array.from(tf.tidy(() => tf.max(tf.abs(tf.sub(l1, l2)), 2)).dataSync());
  // positions 0..5 see at most image 0; from 6 on image 1 is visible and must matter
  for (let t = 0; t < 6; t++) assert.ok(d[t]! < 1e-5, `position ${t} changed by ${d[t]}`);
  assert.ok(d.slice(6).every((x) => x > 1e-4), `image 1 had no effect: ${d.slice(6)}`);
  // positions 0..1 see no image at all
  const e3 = { ...e1, images: [randomImage(1234), e1.images[1]!] };
  const l3 = p.forward(collate(cfg, [e3]));
  const d3 = Array.from(tf.tidy(() => tf.max(tf.abs(tf.sub(l1, l3)), 2)).dataSync());
  assert.ok(d3[0]! < 1e-5 && d3[1]! < 1e-5 && d3[2]! > 1e-4, `image 0 leak/absence: ${d3.slice(0, 3)}`);
  tf.dispose([l1, l2, l3]);
  p.dispose();
});

test('the pooled token: its projection is a trained parameter that the loss reaches', () => {
  const cfg = { ...config, pooledToken: true };
  const p = createPolicy(cfg, 6);
  const plain = createPolicy(config, 6);
  assert.is(p.params.count - plain.params.count, 2 * 16 * 32, 'mean and max of 16 channels -> 32 dims');
  plain.dispose();
  const batch = collate(cfg, [example(3), example(4)]);
  const pool = p.params.get('img/pool') as tf.Variable;
  const { grads } = tf.variableGrads(() => p.loss(batch), [pool]);
  const norm = tf.tidy(() => tf.norm(grads[pool.name]!).dataSync()[0]!);
  assert.ok(norm > 1e-6, `no gradient reaches img/pool (norm ${norm})`);
  tf.dispose(Object.values(grads));
  p.dispose();
});

test('causal: a later token does not change earlier logits; padding does not change real positions', () => {
  const p = createPolicy(config, 6);
  const e = example(3);
  const e2 = { ...e, tokens: [...Array.from(e.tokens).slice(0, 9), 5] };
  const [a, b] = [p.forward(collate(config, [e])), p.forward(collate(config, [e2]))];
  const padded = p.forward(collate(config, [e], { seqLen: 14, numImages: 3 }));
  const da = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.slice(a, [0, 0, 0], [1, 9, -1]), tf.slice(b, [0, 0, 0], [1, 9, -1])))).dataSync()[0]!);
  const dp = tf.tidy(() => tf.max(tf.abs(tf.sub(a, tf.slice(padded, [0, 0, 0], [1, 10, -1])))).dataSync()[0]!);
  assert.ok(da < 1e-5, `future leaked: ${da}`);
  assert.ok(dp < 1e-4, `padding changed logits: ${dp}`);
  tf.dispose([a, b, padded]);
  p.dispose();
});

test('loss is the masked mean of -logProbs; logProbs column 0 is 0', () => {
  const p = createPolicy(config, 8);
  const batch = collate(config, [example(4), example(5, 8, 1)]);
  const loss = p.loss(batch).dataSync()[0]!;
  const lp = p.logProbs(batch).arraySync() as number[][];
  let sum = 0, n = 0;
  lp.forEach((row, i) => row.forEach((v, t) => {
    const m = batch.mask.data[i * batch.mask.shape[1]! + t]!;
    if (t > 0 && m) { sum -= v; n++; }
  }));
  assert.ok(lp.every((row) => row[0] === 0));
  assert.ok(Math.abs(loss - sum / n) < 1e-4, `${loss} vs ${sum / n}`);
  assert.ok(loss > 2 && loss < 6, `initial loss ${loss} should be near ln(40)`);
  p.dispose();
});

test('generate: greedy is deterministic, respects stop tokens, code spans are greedy unless codeTemperature is set, no tensor leak', () => {
  const p = createPolicy(config, 9);
  const prompts = [example(11, 5), example(12, 3, 1)].map(({ lossMask: _, ...e }) => e);
  const before = tf.memory().numTensors;
  const g1 = p.generate(prompts, { maxTokens: 6, temperature: 0 }, rng(1));
  const g2 = p.generate(prompts, { maxTokens: 6, temperature: 0 }, rng(2));
  assert.equal(g1, g2);
  assert.equal(g1.tokens.map((t) => t.length), [6, 6]);
  assert.is(tf.memory().numTensors, before);
  // sampling at temperature 1 depends on the rng; with the code span open, decoding is greedy regardless
  const s1 = p.generate(prompts, { maxTokens: 6, temperature: 1 }, rng(1));
  const s2 = p.generate(prompts, { maxTokens: 6, temperature: 1 }, rng(2));
  assert.not.equal(s1.tokens, s2.tokens);
  const open = prompts.map((e) => ({ ...e, tokens: [...Array.from(e.tokens).slice(0, -1), 39] }));
  const c1 = p.generate(open, { maxTokens: 4, temperature: 5, codeOpen: 39, codeClose: 38 }, rng(1));
  const c2 = p.generate(open, { maxTokens: 4, temperature: 5, codeOpen: 39, codeClose: 38 }, rng(2));
  const greedy = p.generate(open, { maxTokens: 4, temperature: 0 }, rng(3));
  if (!greedy.tokens.flat().includes(38)) assert.equal(c1.tokens, c2.tokens);
  // rl2 may sample code (codeTemperature): then the code span depends on the rng, and the same rng repeats it
  const sampledCode = (seed: number) => p.generate(open, { maxTokens: 4, temperature: 0, codeOpen: 39, codeClose: 38, codeTemperature: 5 }, rng(seed)).tokens;
  assert.not.equal(sampledCode(1), sampledCode(2));
  assert.equal(sampledCode(1), sampledCode(1));
  const firstTok = g1.tokens[0]![0]!;
  const stopped = p.generate(prompts, { maxTokens: 6, temperature: 0, stopTokens: [firstTok] }, rng(1));
  assert.equal(stopped.tokens[0], [firstTok]);
  assert.is(stopped.finish[0], 'stop');
  p.dispose();
});

test('saveWeights/loadWeights: deterministic bytes, config inside, same outputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'policy-'));
  try {
    const p = createPolicy(config, 10);
    saveWeights(p, join(dir, 'a'));
    saveWeights(p, join(dir, 'b'));
    for (const f of ['weights.json', 'weights.bin']) assert.ok(readFileSync(join(dir, 'a', f)).equals(readFileSync(join(dir, 'b', f))), f);
    const q = loadWeights(join(dir, 'a'));
    assert.equal(q.config, config);
    const batch = collate(config, [example(1)]);
    assert.equal(Array.from(p.forward(batch).dataSync()), Array.from(q.forward(batch).dataSync()));
    p.dispose();
    q.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad inputs are rejected with a clear message', () => {
  assert.throws(() => collate(config, [{ tokens: [1, 99], visible: [0, 0], images: [] }]), /outside vocab/);
  assert.throws(() => collate(config, [{ tokens: [1, 2], visible: [0], images: [] }]), /lengths differ/);
  assert.throws(() => createPolicy({ ...config, heads: 3 }, 1), /divisible/);
});

test('sample with top-k and top-p: only the nucleus is ever drawn, in proportion; without them every token can be', () => {
  // probabilities 0.5, 0.3, 0.15, 0.05 at temperature 1
  const row = [0.5, 0.3, 0.15, 0.05].map(Math.log);
  const draw = (k: number, p: number, n = 4000) => {
    const r = rng(3), counts = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) counts[sample(row, 1, r, k, p)]!++;
    return counts.map((c) => c / n);
  };
  const nucleus = draw(0, 0.7);
  assert.equal(nucleus.slice(2), [0, 0], 'top-p 0.7 keeps 0.5 + 0.3');
  assert.ok(Math.abs(nucleus[0]! - 0.625) < 0.03, `renormalised: ${nucleus}`);
  assert.equal(draw(1, 1).slice(1), [0, 0, 0], 'top-k 1 is greedy');
  assert.equal(draw(2, 0.95).slice(2), [0, 0], 'top-k binds before top-p');
  assert.ok(draw(0, 1).every((f) => f > 0.02), 'no truncation: every token drawn');
});

test.run();
