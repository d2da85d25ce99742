// GRPO on the policy: the tensor loss (train/grpo-loss.ts) against the plain-array reference (policy/grpo.ts), value
// and gradient; the trainer's GRPO branch; and the rl2 loop (train/grpo-loop.ts): its outputs, and a stopped run
// resumed from its checkpoint ending on the uninterrupted run's weights bit for bit.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initCompute } from '../../vthinker/compute/setup.ts';
import { allEpisodes, briefSft, shortSamples, tinyConfig, tok } from '../curriculum/fixtures/tiny.ts';
import { trainingExample } from '../../vthinker/curriculum/examples.ts';
import { collate } from '../../vthinker/model/batch.ts';
import { createPolicy } from '../../vthinker/model/policy.ts';
import { grpoLoss, grpoLossGradient, PAPER_GRPO, type GrpoConfig, type GrpoSequence } from '../../vthinker/policy/grpo.ts';
import { PAPER_REWARD_WEIGHTS } from '../../vthinker/policy/reward.ts';
import { policyWith, writeModel } from '../../vthinker/train/cold-start.ts';
import { grpoSeed, grpoSteps, rolloutExample, sampledMask, trainGrpo, type GrpoOptions, type GrpoParams, type RightSample } from '../../vthinker/train/grpo-loop.ts';
import { rftPlan, trainRft } from '../../vthinker/train/rft.ts';
import { episodesOf } from '../../vthinker/curriculum/data.ts';
import { TASK_KINDS } from '../../vthinker/curriculum/episode.ts';
import { grpoLossTensor } from '../../vthinker/train/grpo-loss.ts';
import { build, GRPO_KEYS } from '../../vthinker/train/trainer.ts';
import { rng } from '../../vthinker/util/random.ts';

test.before(async () => {
  await initCompute();
});

const f32 = (x: number) => Math.fround(x);

/** A random batch: ratios far from 1 (clipped tokens), both advantage signs, ragged masks, one empty mask. */
function randomBatch(seed: number, b: number, t: number): GrpoSequence[] {
  const r = rng(seed);
  return Array.from({ length: b }, (_, i) => {
    const newLogp = Array.from({ length: t }, () => f32(-0.1 - 3 * r.next()));
    // every fourth token far from its old value (beyond the clip range), the rest close
    const oldLogp = newLogp.map((v, j) => f32(v + (j % 4 === 0 ? (r.next() < 0.5 ? -0.9 : 0.9) : 0.3 * (r.next() - 0.5))));
    const refLogp = newLogp.map((v) => f32(v + 0.8 * (r.next() - 0.5)));
    const len = i === 1 ? 0 : 1 + Math.floor(r.next() * t);
    const start = Math.floor(r.next() * (t - len + 1));
    const mask = newLogp.map((_, j) => (j >= start && j < start + len ? 1 : 0));
    const advantage = f32((i % 2 === 0 ? 1 : -1) * (0.2 + 1.5 * r.next()));
    return { newLogp, oldLogp, refLogp, mask, advantage };
  });
}

function tensorsOf(batch: readonly GrpoSequence[]) {
  const b = batch.length, t = batch[0]!.mask.length;
  const flat = (k: 'newLogp' | 'oldLogp' | 'refLogp' | 'mask') => tf.tensor2d(batch.flatMap((s) => [...s[k]!]), [b, t]);
  return { newLogp: flat('newLogp'), oldLogp: flat('oldLogp'), refLogp: flat('refLogp'), mask: flat('mask'), advantage: tf.tensor1d(batch.map((s) => s.advantage)) };
}

test('grpoLossTensor: the reference loss and d loss / d newLogp, with clipped tokens, both signs and an empty mask', () => {
  const configs: GrpoConfig[] = [PAPER_GRPO, { clip: 0.1, klWeight: 0.5 }];
  let clippedSeen = 0;
  for (const [k, config] of configs.entries()) {
    for (const seed of [1, 2, 3]) {
      const batch = randomBatch(seed * 10 + k, 6, 9);
      const ref = grpoLoss(batch, config);
      clippedSeen += ref.clippedFraction;
      assert.is(ref.sequences, 5, 'one sequence has an empty mask');
      const t = tensorsOf(batch);
      const value = grpoLossTensor(t, config).dataSync()[0]!;
      assert.ok(Math.abs(value - ref.loss) < 1e-5 * Math.max(1, Math.abs(ref.loss)), `seed ${seed}: ${value} vs ${ref.loss}`);
      const g = tf.grad((x: tf.Tensor) => grpoLossTensor({ ...t, newLogp: x as tf.Tensor2D }, config))(t.newLogp);
      const got = g.arraySync() as number[][];
      const want = grpoLossGradient(batch, config);
      got.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - want[i]![j]!) < 1e-5, `seed ${seed} [${i}][${j}]: ${v} vs ${want[i]![j]}`)));
      // the empty-mask sequence gets no gradient; clipped tokens get only the KL part
      assert.ok(got[1]!.every((v) => v === 0));
      tf.dispose([g, ...Object.values(t)]);
    }
  }
  assert.ok(clippedSeen > 0, 'no clipped token in the fixtures');
});

test('grpoLossTensor: all masks empty gives 0; on-policy (new = old = ref) it is minus the mean advantage', () => {
  const batch = randomBatch(5, 3, 4).map((s) => ({ ...s, mask: s.mask.map(() => 0) }));
  const t = tensorsOf(batch);
  assert.is(grpoLossTensor(t, PAPER_GRPO).dataSync()[0], 0);
  const same = randomBatch(6, 4, 5).map((s) => ({ ...s, oldLogp: s.newLogp, refLogp: s.newLogp }));
  const u = tensorsOf(same);
  const withMask = same.filter((s) => s.mask.some((m) => m > 0));
  const expected = -withMask.reduce((a, s) => a + s.advantage, 0) / withMask.length;
  assert.ok(Math.abs(grpoLossTensor(u, PAPER_GRPO).dataSync()[0]! - expected) < 1e-6);
  assert.ok(Math.abs(grpoLoss(same).loss - expected) < 1e-6);
  tf.dispose([...Object.values(t), ...Object.values(u)]);
});

// ---- the trainer's GRPO branch ----

const trainerConfig = tinyConfig({ maxSeq: 48, dim: 16 });
const samples = shortSamples(21, 10);

function grpoHostBatch(seed: number) {
  const examples = allEpisodes(samples).slice(0, 4).map((e) => trainingExample(tok, e, trainerConfig.imageSide));
  const host = collate(trainerConfig, examples);
  const [b, t] = host.tokens.shape as [number, number];
  const r = rng(seed);
  const old = Float32Array.from({ length: b * t }, () => -1 - 2 * r.next());
  const ref = Float32Array.from({ length: b * t }, () => -1 - 2 * r.next());
  const advantage = Float32Array.from({ length: b }, (_, i) => (i % 2 ? -0.7 : 1.1));
  return { host, b, t, old, ref, advantage };
}

test('trainer: a batch with advantage, oldLogp and refLogp is scored by the GRPO loss of the policy\'s log-probs', async () => {
  const grpo = { clip: 0.2, klWeight: 0.05 };
  const trainer = await build({ policy: trainerConfig, seed: 4, grpo }, { rank: 0, world: 1 });
  const { host, b, t, old, ref, advantage } = grpoHostBatch(3);
  const tensors: Record<string, tf.Tensor> = {
    tokens: tf.tensor(host.tokens.data, host.tokens.shape, 'int32'),
    visible: tf.tensor(host.visible.data, host.visible.shape, 'int32'),
    images: tf.tensor(host.images.data, host.images.shape),
    mask: tf.tensor(host.mask.data, host.mask.shape),
    [GRPO_KEYS.advantage]: tf.tensor1d(advantage),
    [GRPO_KEYS.oldLogp]: tf.tensor2d(old, [b, t]),
    [GRPO_KEYS.refLogp]: tf.tensor2d(ref, [b, t]),
  };
  const loss = trainer.loss(tensors).dataSync()[0]!;
  // the same policy (same seed) on the main thread, then the plain-array reference
  const twin = createPolicy(trainerConfig, 4);
  const lp = twin.logProbs(host).dataSync() as Float32Array;
  const seqs: GrpoSequence[] = Array.from({ length: b }, (_, i) => ({
    newLogp: Array.from(lp.subarray(i * t, (i + 1) * t)),
    oldLogp: Array.from(old.subarray(i * t, (i + 1) * t)),
    refLogp: Array.from(ref.subarray(i * t, (i + 1) * t)),
    mask: Array.from(host.mask.data.subarray(i * t, (i + 1) * t)),
    advantage: advantage[i]!,
  }));
  const want = grpoLoss(seqs, grpo);
  assert.ok(want.tokens > 0);
  assert.ok(Math.abs(loss - want.loss) < 1e-5 * Math.max(1, Math.abs(want.loss)), `${loss} vs ${want.loss}`);
  // without the GRPO arrays the same trainer computes the SFT loss
  const { [GRPO_KEYS.advantage]: _a, [GRPO_KEYS.oldLogp]: _o, [GRPO_KEYS.refLogp]: _r, ...sft } = tensors;
  assert.ok(Math.abs(trainer.loss(sft).dataSync()[0]! - twin.loss(host).dataSync()[0]!) < 1e-6);
  // and the GRPO loss is differentiable in the weights
  const { grads } = tf.variableGrads(() => trainer.loss(tensors));
  assert.ok(Object.values(grads).some((g) => tf.tidy(() => tf.max(tf.abs(g)).dataSync()[0]!) > 0));
  tf.dispose([...Object.values(tensors), ...Object.values(grads)]);
  twin.dispose();
});

test('trainer: a GRPO batch without a grpo config fails with a clear message', async () => {
  const trainer = await build({ policy: trainerConfig, seed: 4 }, { rank: 0, world: 1 });
  const { host, b, t, old, ref, advantage } = grpoHostBatch(4);
  const batch: Record<string, tf.Tensor> = {
    tokens: tf.tensor(host.tokens.data, host.tokens.shape, 'int32'), visible: tf.tensor(host.visible.data, host.visible.shape, 'int32'),
    images: tf.tensor(host.images.data, host.images.shape), mask: tf.tensor(host.mask.data, host.mask.shape),
    advantage: tf.tensor1d(advantage), oldLogp: tf.tensor2d(old, [b, t]), refLogp: tf.tensor2d(ref, [b, t]),
  };
  assert.throws(() => trainer.loss(batch), /a GRPO batch reached a trainer built without a grpo config/);
  tf.dispose(Object.values(batch));
});

// ---- which tokens the policy gradient sees ----

test('sampledMask: greedy code spans (after <code>, through </code>) leave the loss mask; prose, <code> and the answer stay', () => {
  const prompt = tok.encode('<think> draw </think>').slice(0, 2);
  const thought = tok.encode('<think> draw');
  const code = tok.encode('<code> line 1 2 3 4 </code>');
  const sandbox = [tok.ids.sandbox, tok.ids.image, tok.ids.sandboxEnd];
  const answer = tok.encode('</think> <answer> yes </answer>');
  const ids = [...prompt, ...thought, ...code, ...sandbox, ...answer];
  const generated = [...prompt.map(() => 0), ...thought.map(() => 1), ...code.map(() => 1), ...sandbox.map(() => 0), ...answer.map(() => 1)];
  assert.is(code[0], tok.ids.code);
  assert.is(code.at(-1), tok.ids.codeEnd);
  const want = [...prompt.map(() => 0), ...thought.map(() => 1), 1, ...code.slice(1).map(() => 0), ...sandbox.map(() => 0), ...answer.map(() => 1)];
  assert.equal(sampledMask(tok, { ids, generated }), want);
  // sampled code (code_temperature > 0) keeps every model-written token
  const r = { ids, generated, promptLength: prompt.length, images: [], calls: [], text: '', rounds: 1, stop: 'answer' as const };
  assert.equal(rolloutExample(tok, r, 8, true).lossMask, generated);
  assert.equal(rolloutExample(tok, r, 8, false).lossMask, want);
});

// ---- the rl2 loop ----

const loopConfig = tinyConfig({ maxSeq: 64, maxImages: 3 });
const loopSamples = shortSamples(31, 10);
const loopEpisodes = episodesOf(loopSamples, TASK_KINDS);
// 2 prompts a step, 3 steps: every prompt of a pool of 4 visited 1.5 times (epochs 1.5 -> ceil(1.5 x 4 / 2) = 3).
const pool = loopEpisodes.slice(0, 4), heldout = loopEpisodes.slice(4);
const params: GrpoParams = {
  epochs: 1.5, prompts_per_step: 2, rollouts: 2, minibatches: 1, lr: 5e-4, warmup: 1, clip: 0.2, kl_weight: 0.01,
  max_rounds: 3, temperature: 0.8, top_k: 50, top_p: 0.9, code_temperature: 0.8, dynamic_sampling: true,
  reward: { ...PAPER_REWARD_WEIGHTS }, with_consistency: true, partial_credit: true,
  eval_per_kind: 1, eval_every: 0, checkpoint_every: 1, diagnostics: { items: 0 },
};
const root = mkdtempSync(join(tmpdir(), 'grpo-'));
const outs = (name: string) => ({
  model: join(root, name, 'model'), curve: join(root, name, 'curve.jsonl'), eval: join(root, name, 'eval.json'),
  rollouts: join(root, name, 'rollouts.jsonl'), sheets: join(root, name, 'sheets'), samples: join(root, name, 'samples.jsonl'),
});
let init = '';
const options = (name: string, over: Partial<GrpoOptions> = {}): GrpoOptions => {
  const out = outs(name);
  // the loop writes files into the output folder; a stage's outputs folder exists before it runs
  return { pool, heldout, tokenizer: tok, params, init, seed: 9, stageName: 'rl2', out, workers: 1, ...over };
};
const mkdirs = (name: string) => import('node:fs').then((fs) => fs.mkdirSync(join(root, name), { recursive: true }));

test.before(async () => {
  // The starting point: a policy briefly trained on the episodes, so sampled rollouts differ in reward within a group
  // (an untrained policy scores 0 on every rollout: zero advantages, nothing moves).
  const policy = policyWith(loopConfig, 1, await briefSft(loopConfig, loopSamples, 60));
  init = join(root, 'init');
  writeModel(policy, tok, init, { stage: 'rl1' });
  policy.dispose();
});

test.after(() => {
  rmSync(root, { recursive: true, force: true });
});

test('trainGrpo: a short run writes the model, a curve with reward and KL columns, the eval report and rollouts', async () => {
  await mkdirs('a');
  const progress: string[] = [];
  const report = await trainGrpo(options('a', { onProgress: (_d, _t, note) => progress.push(note) }));
  const out = outs('a');
  assert.is(report.steps, 3);
  assert.is(report.resumedFrom, 0);
  for (const f of ['weights.json', 'weights.bin', 'tokenizer.json', 'config.json']) assert.ok(existsSync(join(out.model, f)), f);
  const curve = readFileSync(out.curve, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
  assert.equal(curve.map((c) => c.step), [1, 2, 3]);
  for (const c of curve) {
    for (const k of ['loss', 'lr', 'kl', 'entropy', 'reward', 'reward_format', 'reward_accuracy', 'accuracy', 'tool_calls', 'flat_groups']) {
      assert.ok(Number.isFinite(c[k]), `curve lacks ${k}: ${JSON.stringify(c)}`);
    }
    assert.not.ok('rollouts_per_s' in c, 'wall-clock speed stays out of the curve');
    assert.ok(c.kl! >= 0 && c.flat_groups! >= 0 && c.flat_groups! <= params.prompts_per_step);
  }
  // step 1 samples with the reference's weights: KL exactly 0; later steps moved away from it
  assert.is(curve[0]!.kl, 0);
  assert.ok(curve.some((c) => c.flat_groups! < params.prompts_per_step), 'every group had equal rewards: nothing was learned');
  assert.ok(curve[2]!.kl! > 0, 'the policy did not move');
  assert.not.ok(readFileSync(join(out.model, 'weights.bin')).equals(readFileSync(join(init, 'weights.bin'))), 'weights unchanged');
  const ev = JSON.parse(readFileSync(out.eval, 'utf8'));
  assert.equal(ev.evals.map((e: { step: number }) => e.step), [0, 3]);
  assert.is(ev.steps, 3);
  assert.is(ev.before.count, ev.after.count);
  assert.ok(ev.before.count >= 1 && ev.before.count <= 4);
  assert.is(ev.trainEpisodes, pool.length);
  // the right rollouts, for rft: exactly the rollouts each step scored right (accuracy x rollouts of the step)
  const right = readFileSync(out.samples, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as RightSample);
  assert.is(right.length, curve.reduce((n, c) => n + Math.round(c.accuracy! * params.prompts_per_step * params.rollouts), 0));
  assert.is(ev.rightSamples, right.length);
  for (const x of right) assert.ok(pool.some((e) => e.id === x.episode) && x.step >= 1 && x.step <= 3 && x.ids.length === x.generated.length);
  // the flat groups per task kind add up to the step's flat groups
  for (const c of curve) assert.is(Object.entries(c).filter(([k]) => k.startsWith('flat_') && k !== 'flat_groups').reduce((n, [, v]) => n + v, 0), c.flat_groups);
  assert.not.ok('trainSeconds' in ev, 'timings stay out of the eval report');
  const rollouts = readFileSync(out.rollouts, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.is(rollouts.length, ev.after.count);
  assert.ok(existsSync(join(out.sheets, 'rollouts.png')));
  assert.ok(progress.some((p) => /^reward -?\d/.test(p)), progress.join('; '));
});

test('trainGrpo: stopped after 2 steps and resumed from its checkpoint = the uninterrupted run, bit for bit', async () => {
  const p2 = { ...params, minibatches: 2 };
  await mkdirs('full');
  await mkdirs('killed');
  const full = await trainGrpo(options('full', { params: p2, checkpointDir: join(root, 'ckpt-full') }));
  const part = await trainGrpo(options('killed', { params: p2, checkpointDir: join(root, 'ckpt-killed'), stopAfter: 2 }));
  assert.is(part.steps, 2);
  const resumed = await trainGrpo(options('killed', { params: p2, checkpointDir: join(root, 'ckpt-killed') }));
  assert.is(resumed.resumedFrom, 2);
  assert.is(resumed.steps, 3);
  const a = outs('full'), b = outs('killed');
  assert.ok(readFileSync(join(a.model, 'weights.bin')).equals(readFileSync(join(b.model, 'weights.bin'))), 'final weights differ');
  assert.is(readFileSync(b.curve, 'utf8'), readFileSync(a.curve, 'utf8'));
  assert.is(readFileSync(b.eval, 'utf8'), readFileSync(a.eval, 'utf8'));
  assert.equal(resumed.after, full.after);
  // a different seed is a different run (the comparison above can fail)
  await mkdirs('other');
  await trainGrpo(options('other', { params: p2, seed: 10 }));
  assert.not.ok(readFileSync(join(outs('other').model, 'weights.bin')).equals(readFileSync(join(a.model, 'weights.bin'))));
});

test('grpoSeed: the project seed plus rl2.seed_offset (absent = 0); a fractional offset is refused with the fix', () => {
  assert.is(grpoSeed(20251106, {}, 'rl2'), 20251106);
  assert.is(grpoSeed(20251106, { seed_offset: 0 }, 'rl2'), 20251106);
  assert.is(grpoSeed(20251106, { seed_offset: 2 }, 'rl2-noperc'), 20251108);
  assert.throws(() => grpoSeed(1, { seed_offset: 0.5 }, 'rl2'), /rl2: seed_offset must be an integer \(got 0.5\); set rl2.seed_offset/);
  assert.throws(() => grpoSeed(1, { seed_offset: '1' as unknown as number }, 'rl2'), /must be an integer \(got "1"\)/);
});

test('trainGrpo: a batch that does not split into equal minibatches is refused before any work', async () => {
  await trainGrpo(options('bad', { params: { ...params, minibatches: 3 } })).then(
    () => assert.unreachable('should have thrown'),
    (e: Error) => assert.match(e.message, /rl2: prompts_per_step x rollouts = 4 must split into 3 minibatches/),
  );
  await trainGrpo(options('bad', { pool: [] })).then(
    () => assert.unreachable('should have thrown'),
    (e: Error) => assert.match(e.message, /rl2: no RL prompt was kept \(rl-data\)/),
  );
});

test('grpoSteps: every kept prompt visited `epochs` times, capped by max_steps; no prompt is refused', () => {
  assert.is(grpoSteps({ epochs: 3, prompts_per_step: 8 }, 100), 38);
  assert.is(grpoSteps({ epochs: 3, prompts_per_step: 8, max_steps: 10 }, 100), 10);
  assert.is(grpoSteps({ epochs: 3, prompts_per_step: 8, max_steps: 0 }, 100), 38);
  assert.throws(() => grpoSteps({ epochs: 3, prompts_per_step: 8 }, 0), /no RL prompt was kept/);
  assert.throws(() => grpoSteps({ epochs: 0, prompts_per_step: 8 }, 5), /rl2.epochs must be > 0/);
});

test('trainGrpo with diagnostics: pass statistics before and after on RL prompts and held-out items, with swapped images', async () => {
  await mkdirs('diag');
  const report = await trainGrpo(options('diag', { params: { ...params, epochs: 0.5, diagnostics: { items: 3 } } }));
  assert.ok(report.diagnostics, 'no diagnostics');
  for (const when of ['before', 'after'] as const) {
    const d = report.diagnostics![when];
    assert.equal(Object.keys(d).sort(), ['heldout', 'heldout_swapped', 'rl_prompts', 'rl_prompts_swapped']);
    assert.is(d.rl_prompts!.all!.items, 3);
    for (const s of Object.values(d.rl_prompts!)) assert.ok(s.pass1 <= s.passK && s.greedy >= 0 && s.rescue >= 0 && s.rescue <= 1, JSON.stringify(s));
  }
});

// ---- the rft control ----

test('rft: the same number of updates as rl2 (steps x minibatches), on exactly the right rollouts rl2 wrote', async () => {
  await mkdirs('rft-src');
  const p2 = { ...params, minibatches: 2 };
  const rl2 = await trainGrpo(options('rft-src', { params: p2 }));
  const samples = readFileSync(outs('rft-src').samples, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as RightSample);
  assert.ok(samples.length > 0, 'the brief cold start got nothing right: the test cannot check rft');
  const plan = rftPlan(rl2.steps, p2);
  assert.equal(plan, { updates: 6, batchSize: 2, warmup: 2 });
  await mkdirs('rft');
  const o = { model: join(root, 'rft', 'model'), curve: join(root, 'rft', 'curve.jsonl'), eval: join(root, 'rft', 'eval.json') };
  const report = await trainRft({ samples, pool, heldout, tokenizer: tok, params: p2, rl2Steps: rl2.steps, init, seed: 9, out: o, workers: 1 });
  assert.is(report.updates, 6);
  assert.is(report.samples, samples.length);
  assert.is(readFileSync(o.curve, 'utf8').trim().split('\n').length, 6, 'one curve row per update');
  assert.not.ok(readFileSync(join(o.model, 'weights.bin')).equals(readFileSync(join(init, 'weights.bin'))), 'rft did not train');
  // a sample whose episode is not an RL prompt is refused (rft must train on rl2's own rollouts)
  await trainRft({ samples: [{ ...samples[0]!, episode: 'nowhere/reasoning' }], pool, heldout, tokenizer: tok, params: p2, rl2Steps: 1, init, seed: 9, out: o, workers: 1 }).then(
    () => assert.unreachable('should have thrown'),
    (e: Error) => assert.match(e.message, /rft: rl2's sample of nowhere\/reasoning is not among the RL prompts/),
  );
});

test.run();
