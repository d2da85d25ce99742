// RL's screening rule, the pass-rate histogram, the pass statistics of the diagnostics and the image swap.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { keepForRl, keepPrompt, passHistogram } from '../../vthinker/curriculum/screen.ts';
import { passStats, swapImages } from '../../vthinker/curriculum/diagnostics.ts';
import { keptEpisodes, type RlPrompt } from '../../vthinker/curriculum/rl-prompts.ts';
import { allEpisodes, shortSamples } from './fixtures/tiny.ts';
import { rng } from '../../vthinker/util/random.ts';

test('keepForRl: kept when some but not all of k samples are right', () => {
  assert.equal([0, 1, 4, 7, 8].map((n) => keepForRl(n, 8)), [false, true, true, true, false]);
  assert.not.ok(keepForRl(0, 1) || keepForRl(1, 1), 'with one sample nothing is both right and wrong');
  assert.throws(() => keepForRl(9, 8), /9 right of 8 samples is not a count/);
  assert.throws(() => keepForRl(1.5, 8), /not a count/);
});

test('keepPrompt: general questions screened only when asked; interactive ones always', () => {
  assert.equal([0, 3, 8].map((n) => keepPrompt('general', n, 8, false)), [true, true, true]);
  assert.equal([0, 3, 8].map((n) => keepPrompt('general', n, 8, true)), [false, true, false]);
  assert.equal([0, 3, 8].map((n) => keepPrompt('flywheel', n, 8, false)), [false, true, false]);
});

test('passHistogram: prompts per number of right samples', () => {
  assert.equal(passHistogram([0, 0, 3, 8, 3, 1], 8), [2, 1, 0, 2, 0, 0, 0, 0, 1]);
});

test('passStats: pass@1, pass@k and the rescue rate among items the greedy answer gets wrong', () => {
  const s = passStats([true, false, false, false], [8, 2, 0, 1], 8);
  assert.equal(s, { items: 4, greedy: 0.25, pass1: 0.3438, passK: 0.75, rescue: 0.6667, greedyWrong: 3 });
  assert.equal(passStats([], [], 8), { items: 0, greedy: 0, pass1: 0, passK: 0, rescue: 0, greedyWrong: 0 });
});

const samples = shortSamples(5, 24);
const episodes = allEpisodes(samples);

test('swapImages: another figure of the same family and task, the gold answer kept; no partner, no item', () => {
  const swapped = swapImages(episodes, episodes, rng(1));
  assert.ok(swapped.length > 0);
  for (const s of swapped) {
    const orig = episodes.find((e) => `${e.id}/swapped` === s.id)!;
    assert.is(s.gold, orig.gold);
    assert.is(s.family, orig.family);
    const donor = episodes.find((e) => e.scene === s.scene && e.kind === orig.kind)!;
    assert.ok(donor.sampleId !== orig.sampleId && donor.family === orig.family && donor.kind === orig.kind);
  }
  assert.equal(swapImages(episodes.slice(0, 1), episodes.slice(0, 1), rng(1)), []);
});

test('keptEpisodes: only kept prompts, flywheel ones resolved against the RL share; a missing sample is an error', () => {
  const s = samples[0]!;
  const prompts: RlPrompt[] = [
    { source: 'flywheel', id: `${s.id}/reasoning`, sampleId: s.id, task: 'reasoning', right: 3, kept: true },
    { source: 'flywheel', id: `${s.id}/instruction`, sampleId: s.id, task: 'instruction', right: 8, kept: false },
  ];
  assert.equal(keptEpisodes(prompts, samples).map((e) => e.id), [`${s.id}/reasoning`]);
  assert.throws(() => keptEpisodes(prompts, samples.slice(1)), /sample .* is not in RL's share of the data/);
});

test.run();
