// Perception alignment: examples and their loss mask, the answer dict through the tokenizer, the metrics on
// hand-made predictions, and a few-step end-to-end run that writes every output (and resumes from its checkpoint).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCompute } from '../../vthinker/compute/setup.ts';
import { vocabulary } from '../../vthinker/knowledge/vocabulary.ts';
import { loadWeights } from '../../vthinker/model/weights.ts';
import { Tokenizer } from '../../vthinker/policy/tokenizer.ts';
import { answerText, createPerceptionSample, PERCEPTION_LEVELS, type PerceptionSample } from '../../vthinker/synth/perception.ts';
import {
  encodePerception, parsePointDict, perceptionExample, perceptionPrompt, predictedPoints, scorePerception, splitPerception,
  shiftedSample, thinkText, trainPerception, type PerceptionParams,
} from '../../vthinker/train/perception.ts';
import { rng } from '../../vthinker/util/random.ts';

const tok = new Tokenizer({ words: vocabulary() });
const base = rng(11).fork('perception');
const samples: PerceptionSample[] = Array.from({ length: 60 }, (_, i) => createPerceptionSample(base.fork(String(i)), { level: PERCEPTION_LEVELS[i % 3]! }));

test.before(async () => {
  await initCompute();
});

test('every sample encodes without unknown words; the reasoning names colours', () => {
  for (const s of samples) {
    const seq = encodePerception(tok, s); // strict: throws on an unknown word
    assert.ok(seq.ids.length <= 48, seq.text);
    assert.is(seq.ids[0], tok.ids.bos);
    assert.is(seq.ids.at(-1), tok.ids.eos);
    assert.is(seq.ids[seq.promptLength], tok.ids.think);
  }
  assert.is(thinkText({ question: 'locate A and B', level: 'surface' }), 'A is red and B is blue');
  assert.is(thinkText({ question: 'locate the top left corner of the green box', level: 'semantic' }), 'box is green');
  assert.is(thinkText({ question: 'locate the highest point', level: 'semantic' }), 'highest point');
});

test('example: loss on the response only, image visible from <image>, 64 px input; prompt is the prefix', () => {
  const s = samples[0]!;
  const seq = encodePerception(tok, s);
  const ex = perceptionExample(tok, s, 64);
  assert.equal(Array.from(ex.tokens), seq.ids);
  assert.equal(Array.from(ex.lossMask!), seq.ids.map((_, i) => (i >= seq.promptLength ? 1 : 0)));
  assert.equal(Array.from(ex.visible), seq.ids.map((_, i) => (i === 0 ? 0 : 1)));
  assert.is(tok.token(seq.ids[1]!), '<image>');
  assert.is(ex.images[0]!.length, 64 * 64 * 3);
  const prompt = perceptionPrompt(tok, s, 64);
  assert.equal(Array.from(prompt.tokens), seq.ids.slice(0, seq.promptLength));
  assert.is(prompt.lossMask, undefined);
});

test('answer round trip: the dict survives the tokenizer to within a bin; predictedPoints reads generated ids', () => {
  for (const s of samples) {
    const seq = encodePerception(tok, s);
    const response = seq.ids.slice(seq.promptLength);
    const got = predictedPoints(tok, response)!;
    assert.equal(Object.keys(got), Object.keys(s.targets));
    for (const [k, [x, y]] of Object.entries(s.targets)) {
      assert.ok(Math.abs(got[k]![0] - x) <= 1 && Math.abs(got[k]![1] - y) <= 1, `${s.answerText} -> ${JSON.stringify(got)}`);
    }
  }
  assert.equal(parsePointDict("{'P1': (3, 4), 'P2': (10.5, 0)}"), { P1: [3, 4], P2: [10.5, 0] });
  assert.is(parsePointDict('yes'), null);
  assert.is(predictedPoints(tok, [tok.ids.think, tok.ids.thinkEnd]), null);
  // A truncated answer (no </answer>) still reads its complete pairs.
  assert.equal(predictedPoints(tok, [tok.ids.answer, tok.id('P1'), tok.binId(10), tok.binId(20)]), { P1: [21, 41] });
});

test('metrics: accuracy needs every target within tolerance; mean error over predicted targets; parse failures', () => {
  const score = scorePerception([
    { level: 'surface', targets: { P1: [10, 10] }, predicted: { P1: [13, 14] } }, // 5 px: correct at 5
    { level: 'surface', targets: { P1: [10, 10], P2: [50, 50] }, predicted: { P1: [10, 10], P2: [50, 56] } }, // 0 and 6: wrong
    { level: 'semantic', targets: { P1: [0, 0] }, predicted: null },
    { level: 'integrated', targets: { P1: [0, 0], P2: [5, 5] }, predicted: { P1: [0, 0] } }, // P2 missing
  ], 5);
  assert.is(score.tolerancePx, 5);
  assert.is(score.overall.count, 4);
  assert.is(score.overall.accuracy, 0.25);
  assert.is(score.overall.parseFailures, 0.5);
  assert.is(score.overall.meanErrorPx, (5 + 0 + 6 + 0) / 4);
  assert.is(score.levels.surface.accuracy, 0.5);
  assert.is(score.levels.surface.meanErrorPx, 11 / 3);
  assert.is(score.levels.semantic.meanErrorPx, null);
  assert.is(score.levels.semantic.parseFailures, 1);
  assert.is(score.levels.integrated.accuracy, 0);
});

test('shift augmentation: the whole figure and its targets move together and stay on the canvas', () => {
  let moved = 0;
  for (const [i, s] of samples.entries()) {
    const t = shiftedSample(s, i);
    assert.equal(shiftedSample(s, i), t);
    const [k] = Object.keys(s.targets);
    const dx = t.targets[k!]![0] - s.targets[k!]![0], dy = t.targets[k!]![1] - s.targets[k!]![1];
    if (dx || dy) moved++;
    assert.is(t.question, s.question);
    assert.is(t.answerText, answerText(t.targets));
    for (const [key, [x, y]] of Object.entries(t.targets)) {
      assert.equal([x, y], [s.targets[key]![0] + dx, s.targets[key]![1] + dy]);
      assert.ok(x >= 0 && x <= 128 && y >= 0 && y <= 128, `${x},${y}`);
    }
    const first = s.scene.elements[0]!, shifted = t.scene.elements[0]!;
    if (first.kind === 'point' && shifted.kind === 'point') assert.equal(shifted.at, [first.at[0] + dx, first.at[1] + dy]);
  }
  assert.ok(moved > samples.length / 2, `${moved} moved`);
});

test('split: seeded, disjoint, sized', () => {
  const a = splitPerception(samples, 12, 3), b = splitPerception(samples, 12, 3);
  assert.is(a.val.length, 12);
  assert.is(a.train.length, 48);
  assert.equal(a.val.map((s) => s.id), b.val.map((s) => s.id));
  const val = new Set(a.val.map((s) => s.id));
  assert.ok(a.train.every((s) => !val.has(s.id)));
  assert.not.equal(splitPerception(samples, 12, 4).val.map((s) => s.id), a.val.map((s) => s.id));
});

test('end to end: a few steps write the model, curve, eval report and error sheet; a resume continues', async () => {
  const root = mkdtempSync(join(tmpdir(), 'perception-'));
  try {
    const params: PerceptionParams = {
      steps: 6, batch_size: 8, lr: 2e-3, warmup: 2, tolerance_px: 8, val_count: 12, eval_every: 3, surface_boost: 1, augment_shift: true, checkpoint_every: 2,
      model: { dim: 32, layers: 1, heads: 2, mlp_ratio: 2, image_side: 32, conv_channels: [8, 16], conv_strides: [2, 2], max_seq: 48 },
    };
    const out = { model: join(root, 'model'), curve: join(root, 'curve.jsonl'), eval: join(root, 'eval.json'), sheets: join(root, 'sheets') };
    const ckpt = join(root, 'ckpt');
    // Killed after 4 steps, then resumed: the report covers all 6 steps.
    await trainPerception({ samples, tokenizer: tok, params, seed: 5, out, checkpointDir: ckpt, stopAfter: 4 });
    const report = await trainPerception({ samples, tokenizer: tok, params, seed: 5, out, checkpointDir: ckpt });
    assert.is(report.resumedFrom, 4);
    assert.is(report.steps, 6);
    const curve = readFileSync(out.curve, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: number; loss: number; lr: number });
    assert.equal(curve.map((c) => c.step), [1, 2, 3, 4, 5, 6]);
    assert.ok(curve.every((c) => Number.isFinite(c.loss) && c.lr > 0));
    assert.ok(report.samplesPerSec > 0 && report.trainSeconds > 0);
    // The files are a function of the seed: a fresh uninterrupted run writes the same curve and report.
    const again = { model: join(root, 'model2'), curve: join(root, 'curve2.jsonl'), eval: join(root, 'eval2.json'), sheets: join(root, 'sheets2') };
    await trainPerception({ samples, tokenizer: tok, params, seed: 5, out: again });
    assert.is(readFileSync(again.curve, 'utf8'), readFileSync(out.curve, 'utf8'));
    assert.is(readFileSync(again.eval, 'utf8'), readFileSync(out.eval, 'utf8'));
    assert.equal(readFileSync(join(again.model, 'weights.bin')), readFileSync(join(out.model, 'weights.bin')));
    const ev = JSON.parse(readFileSync(out.eval, 'utf8'));
    assert.is(ev.valCount, 12);
    assert.is(ev.trainCount, 48);
    for (const k of ['before', 'after']) {
      assert.is(ev[k].overall.count, 12);
      assert.equal(Object.keys(ev[k].levels), [...PERCEPTION_LEVELS]);
    }
    assert.equal(ev.evals.map((e: { step: number }) => e.step), [0, 3, 6]);
    assert.ok(existsSync(join(out.sheets, 'errors.png')));
    assert.equal(JSON.parse(readFileSync(join(out.model, 'tokenizer.json'), 'utf8')).tokens, [...tok.tokens]);
    const policy = loadWeights(out.model);
    assert.is(policy.config.vocab, tok.size);
    policy.dispose();

    // The hand-over from the pretrained generalist: with `init` the run starts from that model's weights (its
    // before-evaluation is the init model's after-evaluation, and a near-zero learning rate hands them on unchanged),
    // where the same seed without `init` starts elsewhere.
    const floats = (dir: string) => new Float32Array(new Uint8Array(readFileSync(join(dir, 'weights.bin'))).buffer);
    const tiny = { ...params, steps: 1, lr: 1e-12, warmup: 1, eval_every: 1, checkpoint_every: 1 };
    const handed = { model: join(root, 'model3'), curve: join(root, 'curve3.jsonl'), eval: join(root, 'eval3.json'), sheets: join(root, 'sheets3') };
    const fromInit = await trainPerception({ samples, tokenizer: tok, params: tiny, seed: 5, out: handed, init: out.model });
    assert.equal(fromInit.before, report.after, 'the init model is what the run starts from');
    const [w0, w1] = [floats(out.model), floats(handed.model)];
    assert.ok(w0.every((v, i) => Math.abs(v - w1[i]!) < 1e-5), 'weights moved at lr 1e-12');
    const scratch = { model: join(root, 'model4'), curve: join(root, 'curve4.jsonl'), eval: join(root, 'eval4.json'), sheets: join(root, 'sheets4') };
    await trainPerception({ samples, tokenizer: tok, params: tiny, seed: 5, out: scratch });
    const w2 = floats(scratch.model);
    assert.ok(w2.some((v, i) => Math.abs(v - w0[i]!) > 1e-3), 'without init the run starts from the same weights: the check above proves nothing');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
