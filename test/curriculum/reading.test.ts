// Reading with the gold construction (curriculum/reading.ts): the prefix ends where the sandbox's view does, the
// answer written after it is judged like a rollout's, and the family prior is the most common training answer.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { episodeOf, usableEpisode, type Episode } from '../../vthinker/curriculum/episode.ts';
import { familyMajority, goldReadingPrefix, goldViewReading } from '../../vthinker/curriculum/reading.ts';
import type { Policy } from '../../vthinker/model/policy.ts';
import { buildTrajectory } from '../../vthinker/policy/trajectory.ts';
import { synthesize } from '../../vthinker/synth/synthesize.ts';
import { tok } from './fixtures/tiny.ts';

const { samples } = synthesize({ seed: 5, count: 40 });
const episodes = samples.filter((s) => usableEpisode(s, 'reasoning')).slice(0, 12).map((s) => episodeOf(s, 'reasoning', { multiStep: false }));

test('goldReadingPrefix: through the last </sandbox_output> with a call, the prompt without one', () => {
  const e = episodes[0]!;
  const ids = buildTrajectory(tok, e.spec).ids;
  const prefix = goldReadingPrefix(tok, e);
  assert.is(prefix.at(-1), tok.ids.sandboxEnd);
  assert.equal(prefix, ids.slice(0, prefix.length));
  assert.ok(!ids.slice(prefix.length).includes(tok.ids.image), 'no view comes after the prefix');
  const direct = episodeOf(samples.find((s) => s.id === e.sampleId)!, 'reasoning', { direct: true });
  assert.is(goldReadingPrefix(tok, direct).length, buildTrajectory(tok, direct.spec).promptLength);
});

/** A stand-in policy that writes, after each prefix, the gold tail or the tail with another answer. */
function scripted(answerOf: (e: Episode) => string): Policy {
  const byPrefix = new Map(episodes.map((e) => [goldReadingPrefix(tok, e).join(','), e]));
  return {
    config: { imageSide: 8, maxSeq: 512, maxImages: 8 },
    generate: (prompts: readonly { tokens: ArrayLike<number>; images: readonly Float32Array[] }[]) => ({
      tokens: prompts.map((p) => {
        const e = byPrefix.get(Array.from(p.tokens).join(','));
        if (!e) throw new Error('a prompt that is no gold prefix');
        assert.is(p.images.length, 1 + e.spec.calls.length, 'every gold view is passed');
        return buildTrajectory(tok, { ...e.spec, answer: answerOf(e) }).ids.slice(p.tokens.length);
      }),
      finish: prompts.map(() => 'stop' as const),
    }),
  } as unknown as Policy;
}

test('goldViewReading: the gold tail reads every answer right, a wrong answer none; per family counts', () => {
  const right = goldViewReading(scripted((e) => e.gold.answer), tok, episodes, 5);
  assert.is(right.count, episodes.length);
  assert.is(right.accuracy, 1);
  assert.is(Object.values(right.families).reduce((a, [, n]) => a + n, 0), episodes.length);
  const wrong = goldViewReading(scripted((e) => (e.gold.answer === '17' ? '18' : '17')), tok, episodes, 5);
  assert.is(wrong.accuracy, 0);
});

test('goldViewReading: an episode whose gold trajectory does not fit the window is skipped and counted', () => {
  const lengths = episodes.map((e) => buildTrajectory(tok, e.spec).ids.length);
  const window = [...lengths].sort((a, b) => a - b)[Math.floor(lengths.length / 2)]!;
  const policy = scripted((e) => e.gold.answer);
  (policy.config as { maxSeq: number }).maxSeq = window;
  const r = goldViewReading(policy, tok, episodes, 5);
  assert.is(r.skipped, lengths.filter((n) => n > window).length);
  assert.ok(r.skipped > 0 && r.count + r.skipped === episodes.length);
  assert.is(r.accuracy, 1, 'the episodes that fit are still read right');
  (policy.config as { maxSeq: number; maxImages: number }).maxSeq = 512;
  (policy.config as { maxImages: number }).maxImages = 1;
  const views = goldViewReading(policy, tok, episodes, 5);
  assert.is(views.count, 0, 'with one image allowed, no episode with a call fits');
  assert.is(views.skipped, episodes.length);
});

test('familyMajority: the most common training answer of the family', () => {
  const ep = (family: string, answer: string) => ({ kind: 'reasoning', family, gold: { answer } }) as Episode;
  const reference = [ep('a', 'yes'), ep('a', 'yes'), ep('a', 'no'), ep('b', '3')];
  assert.is(familyMajority(reference, [ep('a', 'yes'), ep('a', 'no'), ep('b', '3'), ep('c', '1')]), 0.5);
  assert.is(familyMajority(reference, []), 0);
});

test.run();
