// The cold start (train/cold-start.ts): a few SFT steps from scratch write every output; pretraining (`direct`)
// trains on reasoning episodes answered without calls and on general questions; model directories rebuild the policy
// and its tokenizer.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModelDir } from '../../vthinker/bench/evaluate-model.ts';
import { initCompute } from '../../vthinker/compute/setup.ts';
import { collate } from '../../vthinker/model/batch.ts';
import { createPolicy } from '../../vthinker/model/policy.ts';
import { Tokenizer } from '../../vthinker/policy/tokenizer.ts';
import { checkpointConfig, trainColdStart, writeModel, type ColdStartOptions, type ColdStartParams } from '../../vthinker/train/cold-start.ts';
import { shortSamples, tinyConfig, tok } from '../curriculum/fixtures/tiny.ts';
import { curriculumTokenizer } from '../../stages/training.ts';
import { generalEpisode, generalItems } from '../../vthinker/general/data.ts';

const root = mkdtempSync(join(tmpdir(), 'cold-start-'));
const samples = shortSamples(41, 12);
const model = tinyConfig({ maxSeq: 64, dim: 16 });
const params: ColdStartParams = {
  steps: 4, batch_size: 4, lr: 3e-3, warmup: 1, mix: { reasoning: 2, instruction: 1, perception: 1 }, multi_step: true, final_rounds_only: true,
  eval_samples: 3, eval_per_kind: 1, max_rounds: 2, checkpoint_every: 2,
};
const outs = (name: string) => {
  mkdirSync(join(root, name), { recursive: true });
  return {
    model: join(root, name, 'model'), curve: join(root, name, 'curve.jsonl'), eval: join(root, name, 'eval.json'),
    rollouts: join(root, name, 'rollouts.jsonl'), sheets: join(root, name, 'sheets'),
  };
};
const options = (name: string, over: Partial<ColdStartOptions> = {}): ColdStartOptions =>
  ({ samples, tokenizer: tok, params, model, seed: 3, stageName: 'rl1', out: outs(name), workers: 1, ...over });
const jsonl = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

test.before(async () => {
  await initCompute();
});

test.after(() => {
  rmSync(root, { recursive: true, force: true });
});

test('from scratch: a few steps write the model, curve, eval report, rollouts and sheet', async () => {
  const report = await trainColdStart(options('scratch'));
  const out = outs('scratch');
  assert.is(report.steps, 4);
  assert.is(report.init, null);
  assert.equal(report.config, model);
  assert.is(report.parameters, createPolicy(model, 3).params.count);
  // 9 training samples (3 kept for evaluation), every kind usable for these families
  assert.equal(report.examples, { total: 9 * 4, reasoning: 18, instruction: 9, perception: 9, general: 0 });
  assert.is(report.dropped, 0);
  const curve = jsonl(out.curve);
  assert.equal(curve.map((c: { step: number }) => c.step), [1, 2, 3, 4]);
  assert.ok(curve.every((c: { loss: number; lr: number }) => Number.isFinite(c.loss) && c.lr > 0));
  assert.ok(Number.isFinite(report.lossFirst) && Number.isFinite(report.lossFinal));
  const ev = JSON.parse(readFileSync(out.eval, 'utf8'));
  assert.equal(ev.evals.map((e: { step: number }) => e.step), [0, 4]);
  assert.is(ev.before.count, 3);
  assert.is(ev.after.count, 3);
  assert.not.ok('trainSeconds' in ev || 'samplesPerSec' in ev, 'timings stay out of the eval report');
  const rollouts = jsonl(out.rollouts);
  assert.equal(rollouts.map((r: { kind: string }) => r.kind).sort(), ['instruction', 'perception', 'reasoning']);
  assert.ok(rollouts.every((r: { rounds: number }) => r.rounds >= 1 && r.rounds <= params.max_rounds));
  assert.ok(existsSync(join(out.sheets, 'rollouts.png')));
  // the model directory rebuilds the policy and its tokenizer
  const { policy, tok: t } = loadModelDir(out.model);
  assert.equal(policy.config, model);
  assert.equal(t.tokens, tok.tokens);
  assert.equal(JSON.parse(readFileSync(join(out.model, 'config.json'), 'utf8')), model);
  assert.is(checkpointConfig(tok, out.model).vocab, tok.size);
  // the weights moved from the initial ones
  const fresh = createPolicy(model, 3);
  const batch = collate(model, [{ tokens: [1, 2, 3], visible: [0, 0, 0], images: [] }]);
  assert.not.equal(Array.from(policy.forward(batch).dataSync()), Array.from(fresh.forward(batch).dataSync()));
  policy.dispose();
  fresh.dispose();
});

test('direct: pretraining answers the reasoning questions without calls; same seed, same files', async () => {
  const report = await trainColdStart(options('direct', { direct: true, stageName: 'base' }));
  // the mix's reasoning copies are kept, the other kinds ignored
  assert.equal(report.examples, { total: 18, reasoning: 18, instruction: 0, perception: 0, general: 0 });
  const out = outs('direct');
  const rollouts = jsonl(out.rollouts);
  assert.equal(rollouts.map((r: { kind: string }) => r.kind), ['reasoning']);
  // a mix without reasoning: one copy
  const once = await trainColdStart(options('direct2', { direct: true, stageName: 'base', params: { ...params, steps: 1, mix: { instruction: 3 } } }));
  assert.equal(once.examples, { total: 9, reasoning: 9, instruction: 0, perception: 0, general: 0 });
  // deterministic: a second identical run writes identical curve, report and weights
  await trainColdStart(options('direct-again', { direct: true, stageName: 'base' }));
  const again = outs('direct-again');
  assert.is(readFileSync(again.curve, 'utf8'), readFileSync(out.curve, 'utf8'));
  assert.is(readFileSync(again.eval, 'utf8'), readFileSync(out.eval, 'utf8'));
  assert.ok(readFileSync(join(again.model, 'weights.bin')).equals(readFileSync(join(out.model, 'weights.bin'))));
  // answered directly: every reasoning trajectory fits a 32-token window, where every interactive one is dropped
  const narrow = tinyConfig({ maxSeq: 32, dim: 16 });
  const base = { ...params, steps: 1, mix: { reasoning: 1 } };
  const fits = await trainColdStart(options('direct-narrow', { direct: true, stageName: 'base', model: narrow, params: base }));
  assert.equal([fits.dropped, fits.examples.reasoning], [0, 9]);
  await trainColdStart(options('interactive-narrow', { model: narrow, params: base })).then(
    () => assert.unreachable('should have thrown: no interactive episode fits'),
    (e: Error) => assert.match(e.message, /empty dataset/),
  );
  // direct training differs from interactive training on the same samples
  assert.not.ok(readFileSync(join(out.model, 'weights.bin')).equals(readFileSync(join(outs('scratch').model, 'weights.bin'))));
});

test('pretraining: general questions join the mix `general` times each and the evaluation (accuracy_general)', async () => {
  const ctok = curriculumTokenizer();
  const cmodel = tinyConfig({ maxSeq: 64, dim: 16, vocab: ctok.size });
  const items = generalItems(samples, { seed: 1, name: 'g', perFigure: 2, held: new Set(), trainOnly: true });
  const general = { train: items.map(generalEpisode), val: items.slice(0, 2).map(generalEpisode) };
  const report = await trainColdStart(options('pretrain', { direct: true, stageName: 'pretrain', tokenizer: ctok, model: cmodel, general, params: { ...params, general: 2 } }));
  assert.equal(report.examples, { total: 18 + 2 * items.length, reasoning: 18, instruction: 0, perception: 0, general: 2 * items.length });
  assert.ok(report.before.accuracy_general !== undefined && report.after.accuracy_general !== undefined, 'no general accuracy');
  // copies asked without questions is a configuration error, said as such
  await trainColdStart(options('pretrain-bad', { direct: true, stageName: 'pretrain', params: { ...params, general: 1 } })).then(
    () => assert.unreachable('should have thrown'),
    (e: Error) => assert.match(e.message, /pretrain: general: 1 copies asked, but the stage passes no general questions/),
  );
});

test('init: starts from a model directory with its own config; a tokenizer mismatch is refused', async () => {
  const dir = join(root, 'init-model');
  const start = createPolicy(tinyConfig({ maxSeq: 64, dim: 16, layers: 2 }), 5);
  writeModel(start, tok, dir, { stage: 'perception' });
  start.dispose();
  const report = await trainColdStart(options('from-init', { init: dir, params: { ...params, steps: 2 } }));
  assert.is(report.init, 'checkpoint');
  assert.is(report.config.layers, 2, 'the checkpoint\'s config, not options.model');
  const other = new Tokenizer({ words: ['only', 'these', 'words'] });
  await trainColdStart(options('bad-init', { init: dir, tokenizer: other })).then(
    () => assert.unreachable('should have thrown'),
    (e: Error) => assert.match(e.message, /the checkpoint's vocabulary has \d+ tokens, the tokenizer \d+: retrain/),
  );
});

test.run();
