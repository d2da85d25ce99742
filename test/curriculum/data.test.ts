// The curriculum's data (curriculum/data.ts): the task mix, the seeded evaluation split, the lazy SFT dataset (counts
// per kind, episodes too long for the policy dropped and counted) and the evaluation episodes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkMix, episodesOf, evalEpisodes, sftDataset, splitSamples } from '../../vthinker/curriculum/data.ts';
import { episodeOf, TASK_KINDS, usableEpisode } from '../../vthinker/curriculum/episode.ts';
import { trainingExample } from '../../vthinker/curriculum/examples.ts';
import type { PolicyExample } from '../../vthinker/model/batch.ts';
import { buildTrajectory } from '../../vthinker/policy/trajectory.ts';
import { synthesize } from '../../vthinker/synth/synthesize.ts';
import { tok } from './fixtures/tiny.ts';

const { samples } = synthesize({ seed: 5, count: 48 });

type Lazy = { length: number; kinds: Record<string, number>; dropped: number; get(i: number): PolicyExample };
/** sftDataset, checked to be lazy (examples rendered when asked). */
function lazySft(...args: Parameters<typeof sftDataset>): Lazy {
  const d = sftDataset(...args);
  assert.ok('get' in d && !Array.isArray(d), 'sftDataset builds examples on demand');
  return d as unknown as Lazy;
}

test('checkMix: fills missing kinds with 0; rejects negative, fractional and empty mixes, naming the stage', () => {
  assert.equal(checkMix({ instruction: 2 }, 'rl1'), { reasoning: 0, instruction: 2, perception: 0 });
  assert.equal(checkMix({ reasoning: 2, instruction: 1, perception: 1 }, 'rl1'), { reasoning: 2, instruction: 1, perception: 1 });
  assert.throws(() => checkMix({}, 'rl2'), /^rl2: the task mix is empty; give at least one of reasoning, instruction, perception a count$/);
  assert.throws(() => checkMix({ reasoning: 0, perception: 0 }, 'rl2'), /rl2: the task mix is empty/);
  assert.throws(() => checkMix({ reasoning: -1 }, 'base'), /base: mix\.reasoning must be a non-negative integer \(copies per sample\), got -1/);
  assert.throws(() => checkMix({ perception: 1.5, reasoning: 1 }, 'base'), /mix\.perception must be a non-negative integer.*got 1\.5/);
});

test('splitSamples: seeded, disjoint, whole samples, input order kept; at least one training sample', () => {
  const a = splitSamples(samples, 10, 7, 'rl1');
  assert.is(a.val.length, 10);
  assert.is(a.train.length, samples.length - 10);
  const val = new Set(a.val.map((s) => s.id));
  assert.ok(a.train.every((s) => !val.has(s.id)));
  assert.equal(new Set([...a.train, ...a.val].map((s) => s.id)).size, samples.length);
  // input order within each part
  const pos = new Map(samples.map((s, i) => [s.id, i]));
  for (const part of [a.train, a.val]) assert.ok(part.every((s, i) => i === 0 || pos.get(s.id)! > pos.get(part[i - 1]!.id)!));
  // deterministic for (seed, name); another seed or stage name draws another split
  assert.equal(splitSamples(samples, 10, 7, 'rl1').val.map((s) => s.id), a.val.map((s) => s.id));
  assert.not.equal(splitSamples(samples, 10, 8, 'rl1').val.map((s) => s.id), a.val.map((s) => s.id));
  assert.not.equal(splitSamples(samples, 10, 7, 'rl2').val.map((s) => s.id), a.val.map((s) => s.id));
  // bounds
  assert.equal(splitSamples(samples, 0, 7, 'rl1'), { train: samples, val: [] });
  const all = splitSamples(samples, 1000, 7, 'rl1');
  assert.equal([all.train.length, all.val.length], [1, samples.length - 1]);
  assert.equal(splitSamples([1, 2, 3], 2, 1, 'x').train.length, 1);
});

test('episodesOf: usable episodes of the given kinds, sample by sample', () => {
  const eps = episodesOf(samples, ['instruction', 'reasoning']);
  const expected = samples.flatMap((s) => (['instruction', 'reasoning'] as const).filter((k) => usableEpisode(s, k)).map((k) => `${s.id}/${k}`));
  assert.equal(eps.map((e) => e.id), expected);
  assert.ok(samples.some((s) => !usableEpisode(s, 'instruction')), 'the fixture has a zoom (crop) sample');
  assert.ok(episodesOf(samples, ['reasoning'], { direct: true }).every((e) => e.spec.calls.length === 0));
});

test('sftDataset: each kind repeated mix[kind] times; lazy examples with the rl1 mask; counts per kind', () => {
  const mix = { reasoning: 2, instruction: 1, perception: 0 };
  const d = lazySft(tok, samples, mix, 32);
  const nr = episodesOf(samples, ['reasoning']).length, ni = episodesOf(samples, ['instruction']).length;
  assert.equal(d.kinds, { reasoning: 2 * nr, instruction: ni, perception: 0, general: 0 });
  assert.is(d.length, 2 * nr + ni);
  assert.is(d.dropped, 0);
  // reasoning copies, then instruction; examples are built on demand and match trainingExample
  const first = episodeOf(samples[0]!, 'reasoning');
  assert.equal(Array.from(d.get(0).tokens), buildTrajectory(tok, first.spec).ids);
  assert.equal(Array.from(d.get(nr).tokens), Array.from(d.get(0).tokens), 'second copy');
  const lastInstr = episodesOf(samples, ['instruction']).at(-1)!;
  const x = d.get(d.length - 1);
  const ref = trainingExample(tok, lastInstr, 32);
  assert.equal(Array.from(x.tokens), Array.from(ref.tokens));
  assert.equal(Array.from(x.lossMask!), Array.from(ref.lossMask!));
  assert.is(x.images.length, 2);
  // mask options reach the examples: multi-call episodes supervise more without finalRoundsOnly
  const multiIndex = episodesOf(samples, ['reasoning']).findIndex((e) => e.spec.calls.length >= 2);
  assert.ok(multiIndex >= 0, 'the fixture has a multi-step sample');
  const maskSum = (o: object) => Array.from(lazySft(tok, samples, mix, 32, o).get(multiIndex).lossMask!).reduce((a, b) => a + b, 0);
  assert.ok(maskSum({ finalRoundsOnly: false }) > maskSum({}));
});

test('sftDataset: maxLength drops long episodes (counted once each, not per copy); direct has no calls', () => {
  const mix = { reasoning: 3, instruction: 0, perception: 1 };
  const lengths = TASK_KINDS.map((k) => episodesOf(samples, [k]).map((e) => buildTrajectory(tok, e.spec).ids.length));
  const maxLength = 45;
  const long = (k: number) => lengths[k]!.filter((n) => n > maxLength).length;
  const keep = (k: number) => lengths[k]!.filter((n) => n <= maxLength).length;
  assert.ok(long(0) > 0 && keep(0) > 0, 'the fixture has reasoning episodes on both sides of the cap');
  const d = lazySft(tok, samples, mix, 32, { maxLength });
  assert.is(d.dropped, long(0) + long(2));
  assert.equal(d.kinds, { reasoning: 3 * keep(0), instruction: 0, perception: keep(2), general: 0 });
  assert.is(d.length, 3 * keep(0) + keep(2));
  for (let i = 0; i < d.length; i += 7) assert.ok(d.get(i).tokens.length <= maxLength);
  // pretraining's data: the reasoning questions answered directly
  const direct = lazySft(tok, samples, { reasoning: 1, instruction: 0, perception: 0 }, 32, { direct: true, maxLength: 128 });
  assert.is(direct.length, episodesOf(samples, ['reasoning']).length);
  for (let i = 0; i < direct.length; i++) {
    const x = direct.get(i);
    assert.not.ok(Array.from(x.tokens).includes(tok.ids.code), 'a direct example calls the sandbox');
    assert.is(x.images.length, 1);
  }
});

test('evalEpisodes: perKind of each kind in the mix, seeded; kinds left out of the mix get none', () => {
  const mix = { reasoning: 1, instruction: 0, perception: 2 };
  const e = evalEpisodes(samples, mix, 5, 3);
  assert.equal(e.map((x) => x.kind), [...Array(5).fill('reasoning'), ...Array(5).fill('perception')]);
  assert.equal(new Set(e.map((x) => x.id)).size, 10);
  assert.equal(evalEpisodes(samples, mix, 5, 3).map((x) => x.id), e.map((x) => x.id));
  assert.not.equal(evalEpisodes(samples, mix, 5, 4).map((x) => x.id), e.map((x) => x.id));
  // not the first five in sample order: a shuffled draw
  const inOrder = episodesOf(samples, ['reasoning']).slice(0, 5).map((x) => x.id);
  assert.not.equal(evalEpisodes(samples, mix, 5, 3).slice(0, 5).map((x) => x.id), inOrder);
  // options shape the gold trajectories only: the same episodes, direct ones without a call
  const direct = evalEpisodes(samples, mix, 5, 3, { direct: true });
  assert.equal(direct.map((x) => x.id), e.map((x) => x.id));
  assert.ok(direct.filter((x) => x.kind === 'reasoning').every((x) => x.spec.calls.length === 0));
  assert.ok(e.filter((x) => x.kind === 'reasoning').some((x) => x.spec.calls.length > 0));
  // more than there are: all of them
  const few = samples.slice(0, 3);
  assert.is(evalEpisodes(few, { reasoning: 1, instruction: 1, perception: 1 }, 50, 1).length, episodesOf(few, TASK_KINDS).length);
});

test.run();
