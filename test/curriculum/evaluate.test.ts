// Rollout statistics (curriculum/evaluate.ts) on hand-made rewards, and evaluateEpisodes end to end on a tiny policy.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initCompute } from '../../vthinker/compute/setup.ts';
import { evaluateEpisodes, roundStats, rolloutStats } from '../../vthinker/curriculum/evaluate.ts';
import { episodeReward, type EpisodeReward } from '../../vthinker/curriculum/reward.ts';
import { runRollouts } from '../../vthinker/curriculum/rollouts.ts';
import { createPolicy } from '../../vthinker/model/policy.ts';
import { rng } from '../../vthinker/util/random.ts';
import { allEpisodes, shortSamples, tinyConfig, tok } from './fixtures/tiny.ts';

function reward(kind: EpisodeReward['kind'], o: Partial<EpisodeReward>): EpisodeReward {
  return {
    kind, total: 0, format: 0, accuracy: 0, consistency: 0, tool: 0, answer: null, correct: false, formatOk: false, consistent: false,
    calls: 0, failedCalls: 0, ...o,
  };
}
const near = (a: number, b: number) => Math.abs(a - b) < 1e-12;

test('rolloutStats: means of every term, accuracy per kind, calls and sandbox errors', () => {
  const rewards = [
    reward('reasoning', { total: 2.3, format: 0.5, accuracy: 1, consistency: 0.5, tool: 0.3, correct: true, formatOk: true, calls: 1 }),
    reward('reasoning', { total: -0.5, format: 0.5, accuracy: -1, formatOk: true, calls: 2, failedCalls: 1 }),
    reward('instruction', { total: 1.65, format: 0.5, accuracy: 1, tool: 0.15, correct: true, formatOk: true, calls: 2, failedCalls: 1 }),
    reward('instruction', { total: 0, calls: 0 }),
  ];
  const s = rolloutStats(rewards);
  assert.is(s.count, 4);
  assert.ok(near(s.reward, (2.3 - 0.5 + 1.65 + 0) / 4));
  assert.ok(near(s.reward_format, 1.5 / 4));
  assert.ok(near(s.reward_accuracy, 1 / 4));
  assert.ok(near(s.reward_consistency, 0.5 / 4));
  assert.ok(near(s.reward_tool, 0.45 / 4));
  assert.is(s.accuracy, 0.5);
  assert.is(s.format_ok, 0.75);
  assert.is(s.tool_calls, 5 / 4);
  assert.is(s.sandbox_error_rate, 2 / 5);
  assert.is(s.tool_use, 3 / 4);
  assert.is(s.accuracy_reasoning, 0.5);
  assert.is(s.accuracy_instruction, 0.5);
  assert.not.ok('accuracy_perception' in s, 'a kind without rollouts is left out');
  for (const v of Object.values(s)) assert.ok(Number.isFinite(v));
});

test('rolloutStats: no rollouts and no calls give zeros, not NaN', () => {
  const empty = rolloutStats([]);
  assert.equal(Object.values(empty).every((v) => v === 0), true);
  assert.equal(Object.keys(empty).filter((k) => k.startsWith('accuracy_')), []);
  const noCalls = rolloutStats([reward('perception', { correct: true })]);
  assert.equal([noCalls.tool_calls, noCalls.sandbox_error_rate, noCalls.tool_use, noCalls.accuracy_perception], [0, 0, 0, 1]);
});

test('roundStats: every value rounded for stable JSON', () => {
  assert.equal(roundStats({ a: 1 / 3, b: 2, c: -0.123456 }), { a: 0.3333, b: 2, c: -0.1235 });
  assert.equal(roundStats({ a: 1 / 3 }, 2), { a: 0.33 });
});

test('evaluateEpisodes: greedy rollouts in batches, scored per episode; batch size does not change the result', async () => {
  await initCompute();
  const policy = createPolicy(tinyConfig({ maxSeq: 48 }), 2);
  const eps = allEpisodes(shortSamples(8, 3));
  const settings = { maxRounds: 2, temperature: 0 };
  const a = await evaluateEpisodes(policy, tok, eps, settings, {}, { batchSize: 4 });
  const b = await evaluateEpisodes(policy, tok, eps, settings, {}, { batchSize: 64 });
  assert.is(a.rollouts.length, eps.length);
  assert.equal(a.rollouts.map((r) => r.ids), b.rollouts.map((r) => r.ids));
  assert.equal(a.stats, b.stats);
  assert.equal(a.rewards, eps.map((e, i) => episodeReward(e, a.rollouts[i]!)));
  assert.equal(a.stats, rolloutStats(a.rewards));
  assert.equal(a.rollouts.map((r) => r.ids), (await runRollouts(policy, tok, eps, settings, rng(0))).map((r) => r.ids));
  assert.is(a.stats.count, eps.length);
  for (const k of ['reasoning', 'instruction', 'perception'] as const) assert.ok(`accuracy_${k}` in a.stats, k);
  policy.dispose();
});

test.run();
