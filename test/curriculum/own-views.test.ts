// Own-view examples (curriculum/own-views.ts): the policy's first round replays to the very views its rollout got,
// only the gold tail is supervised, the dataset appends the copies, bad settings and foreign records are refused;
// and in the cold start the two phases resume exactly after a kill in either phase.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCompute } from '../../vthinker/compute/setup.ts';
import { episodesOf, sftDataset } from '../../vthinker/curriculum/data.ts';
import { trainingExample } from '../../vthinker/curriculum/examples.ts';
import { collectOwnViews, ownViewEpisodes, ownViewExample, ownViewsEnabled, replayViews, withOwnViews, type OwnViewSet } from '../../vthinker/curriculum/own-views.ts';
import { runRollouts } from '../../vthinker/curriculum/rollouts.ts';
import type { Policy } from '../../vthinker/model/policy.ts';
import { buildTrajectory } from '../../vthinker/policy/trajectory.ts';
import { sameRaster, toModelInput } from '../../vthinker/scene/render.ts';
import { trainColdStart, type ColdStartOptions, type ColdStartParams } from '../../vthinker/train/cold-start.ts';
import { rng } from '../../vthinker/util/random.ts';
import { briefPolicy, shortSamples, tinyConfig, tok } from './fixtures/tiny.ts';

const samples = shortSamples(5, 16);
const config = tinyConfig();
const reasoning = episodesOf(samples, ['reasoning']);
let policy: Policy;
let set: OwnViewSet;

test.before(async () => {
  await initCompute();
  policy = await briefPolicy(config, samples, 60);
  set = await collectOwnViews(policy, tok, reasoning, 7);
});

test.after(() => policy.dispose());

test('collectOwnViews: one record per rolled-out call, cut at its first </sandbox_output>; stats add up', () => {
  const { stats } = set;
  assert.is(stats.questions, reasoning.length);
  assert.is(stats.drew + stats.failed + stats.no_call, stats.questions);
  assert.is(set.records.length, stats.drew + stats.failed);
  assert.ok(stats.drew > 0, 'a briefly trained policy draws on some questions');
  assert.ok(stats.answer_accuracy >= 0 && stats.answer_accuracy <= 1);
  for (const r of set.records) {
    assert.is(r.ids.at(-1), tok.ids.sandboxEnd, r.episode);
    assert.is(r.ids.filter((id) => id === tok.ids.sandboxEnd).length, 1, `${r.episode}: one round only`);
  }
});

test('replayViews: the record replays to the images its rollout got, pixel for pixel', async () => {
  const rollouts = await runRollouts(policy, tok, reasoning, { maxRounds: 2, temperature: 0 }, rng(0).fork('own views'));
  let checked = 0;
  for (const r of set.records) {
    const i = reasoning.findIndex((e) => e.id === r.episode);
    const views = replayViews(tok, reasoning[i]!, r.ids, config.maxImages - 1);
    const got = rollouts[i]!.images.slice(0, views.length);
    assert.is(views.length, got.length, r.episode);
    views.forEach((v, k) => assert.ok(sameRaster(v, got[k]!), `${r.episode}: image ${k}`));
    checked += views.length > 1 ? 1 : 0;
  }
  assert.ok(checked > 0, 'at least one record drew a view');
});

test('ownViewExample: the record then the gold tail, only the tail supervised; images and visibility line up', () => {
  const r = set.records.find((x) => x.ids.includes(tok.ids.image, 2))!;
  const episode = reasoning.find((e) => e.id === r.episode)!;
  const ex = ownViewExample(tok, episode, r, config.imageSide, config.maxImages);
  const gold = buildTrajectory(tok, episode.spec).ids;
  const tail = gold.slice(gold.lastIndexOf(tok.ids.sandboxEnd) + 1);
  assert.equal(ex.tokens, [...r.ids, ...tail]);
  assert.equal(ex.lossMask, [...r.ids.map(() => 0), ...tail.map(() => 1)]);
  assert.is(tail.at(-1), tok.ids.eos);
  assert.is(ex.images.length, 2);
  assert.is(ex.visible[ex.visible.length - 1], 2);
  const original = trainingExample(tok, episode, config.imageSide).images[0]!;
  assert.equal(Array.from(ex.images[0]!), Array.from(original));
  assert.not.equal(Array.from(ex.images[1]!), Array.from(original), 'the second image is the policy\'s view');
});

test('withOwnViews: gold examples first, then copies of each own-view example; a foreign record is an error', () => {
  const gold = sftDataset(tok, samples, { reasoning: 1, instruction: 0, perception: 0 }, config.imageSide);
  const mixed = withOwnViews(gold, tok, reasoning, set, 3, config.imageSide, config.maxImages, config.maxSeq);
  assert.is(mixed.ownViews, set.records.length);
  assert.is(mixed.length, gold.length + 3 * set.records.length);
  assert.equal(mixed.get(0).tokens, gold.get(0).tokens);
  const first = mixed.get(gold.length), again = mixed.get(gold.length + set.records.length);
  assert.equal(first.tokens, again.tokens);
  assert.equal(first.lossMask, again.lossMask);
  const narrow = withOwnViews(gold, tok, reasoning, set, 1, config.imageSide, config.maxImages, 10);
  assert.is(narrow.ownViews, 0, 'records with no room for the gold tail are left out');
  const foreign = { ...set, records: [{ episode: 'nope/reasoning', ids: [1] }] };
  assert.throws(() => withOwnViews(gold, tok, reasoning, foreign, 1, config.imageSide, config.maxImages, config.maxSeq), /nope\/reasoning: no such training episode/);
});

test('ownViewEpisodes: a seeded draw of reasoning episodes that fit; ownViewsEnabled checks its settings', () => {
  const a = ownViewEpisodes(tok, episodesOf(samples, ['reasoning', 'instruction']), 5, 9, config.maxSeq);
  assert.equal(a.map((e) => e.id), ownViewEpisodes(tok, episodesOf(samples, ['reasoning', 'instruction']), 5, 9, config.maxSeq).map((e) => e.id));
  assert.not.equal(a.map((e) => e.id), ownViewEpisodes(tok, reasoning, 5, 10, config.maxSeq).map((e) => e.id));
  assert.ok(a.every((e) => e.kind === 'reasoning'));
  assert.is(ownViewsEnabled(undefined, 10), false);
  assert.is(ownViewsEnabled({ from_step: 0, samples: 1, copies: 1 }, 10), false);
  assert.is(ownViewsEnabled({ from_step: 4, samples: 1, copies: 1 }, 10), true);
  assert.throws(() => ownViewsEnabled({ from_step: 10, samples: 1, copies: 1 }, 10), /from_step must be 0 \(off\) or an integer step below steps \(10\), got 10/);
  assert.throws(() => ownViewsEnabled({ from_step: 4, samples: 0, copies: 1 }, 10), /own_views.samples must be a positive integer/);
});

// ---- in the cold start ----
const root = mkdtempSync(join(tmpdir(), 'own-views-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
const params: ColdStartParams = {
  steps: 6, batch_size: 4, lr: 3e-3, warmup: 1, mix: { reasoning: 1, instruction: 1, perception: 0 }, multi_step: false, final_rounds_only: true,
  eval_samples: 3, eval_per_kind: 1, max_rounds: 2, checkpoint_every: 2, own_views: { from_step: 3, samples: 6, copies: 2 },
};
const run = (name: string, over: Partial<ColdStartOptions> = {}) => {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const out = { model: join(dir, 'model'), curve: join(dir, 'curve.jsonl'), eval: join(dir, 'eval.json'), rollouts: join(dir, 'rollouts.jsonl'), sheets: join(dir, 'sheets') };
  return trainColdStart({ samples, tokenizer: tok, params, model: tinyConfig({ dim: 16 }), seed: 3, stageName: 'rl1', out, workers: 1, checkpointDir: join(dir, 'ckpt'), ...over });
};
const weightsOf = (name: string) => readFileSync(join(root, name, 'model', 'weights.bin'));

test('cold start with own views: reported, and a kill in either phase resumes to the same weights', async () => {
  const full = await run('full');
  assert.ok(full.ownViews, 'own views reported');
  assert.is(full.ownViews!.step, 3);
  assert.is(full.ownViews!.questions, 6);
  assert.is(full.steps, 6);
  assert.is(full.resumedFrom, 0, 'a run from scratch reports no resume, although its second phase reloads step 3');
  // killed before the rollouts (step 2 of 3), then resumed
  const a = await run('killed-a', { stopAfter: 2 });
  assert.is(a.steps, 2);
  assert.is(a.ownViews, null);
  const a2 = await run('killed-a');
  assert.is(a2.resumedFrom, 2, "where this call picked up (the kill's checkpoint), not the rollouts' step");
  assert.equal(a2.ownViews, full.ownViews);
  assert.ok(weightsOf('killed-a').equals(weightsOf('full')), 'killed before the rollouts: same weights');
  // killed after the rollouts (steps 3 + 2 = 5 of 6; the checkpoint at 4 survives), then resumed
  const b = await run('killed-b', { stopAfter: 5 });
  assert.is(b.steps, 5);
  const b2 = await run('killed-b');
  assert.is(b2.resumedFrom, 4);
  assert.equal(b2.ownViews, full.ownViews);
  assert.ok(weightsOf('killed-b').equals(weightsOf('full')), 'killed after the rollouts: same weights');
  // the direct base model never rolls out own views
  const direct = await run('direct', { direct: true, stageName: 'base' });
  assert.is(direct.ownViews, null);
});

test.run();
