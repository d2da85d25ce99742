// The rl notebook's rollout viewer (notebooks/lib/rollouts.ts): replaying a rollout's successful calls in a fresh
// sandbox gives back the views the policy saw, failed calls are skipped, and the Markdown survives model output.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inlineCode } from '../../notebooks/lib/display.ts';
import { pickRollouts, replay, rolloutMarkdown, rolloutStrip, sampleIdOf, turns, type RolloutRecord } from '../../notebooks/lib/rollouts.ts';
import { episodeOf, usableEpisode } from '../../vthinker/curriculum/episode.ts';
import { episodeViews, originalImage } from '../../vthinker/curriculum/examples.ts';
import { formatProgram } from '../../vthinker/scene/drawlang.ts';
import { decodePng, sameRaster } from '../../vthinker/scene/render.ts';
import { synthesize } from '../../vthinker/synth/synthesize.ts';

const { samples } = synthesize({ seed: 3, count: 60 });
const multi = samples.find((s) => s.family === 'nearest-line' && s.steps.length === 3 && usableEpisode(s, 'reasoning'))!;

/** A rollout of `multi` that wrote the sample's own steps, with a failed call between the first and the second. */
function record(overrides: Partial<RolloutRecord> = {}): RolloutRecord {
  const codes = episodeOf(multi, 'reasoning').spec.calls.map((c) => formatProgram(c.ops));
  return {
    id: `${multi.id}/reasoning`, kind: 'reasoning', domain: multi.domain, family: multi.family, question: multi.question, gold: multi.answer,
    text: `<think> a | b </think> <code> ${codes[0]} </code> <sandbox_output> <image> </sandbox_output> <think> more </think> <answer> ${multi.answer} </answer>`,
    rounds: 2, stop: 'answer',
    calls: [{ code: codes[0]!, ok: true }, { code: 'is', ok: false, message: `Sandbox for ${multi.id}/reasoning: line 1: unknown operation "is"` }, { code: codes[1]!, ok: true }, { code: codes[2]!, ok: true }],
    reward: { total: 1.5, format: 0.5, accuracy: 1, consistency: 0, tool: 0, answer: multi.answer, correct: true, formatOk: true, consistent: false, calls: 4, failedCalls: 1 },
    ...overrides,
  };
}

test('replay: the successful calls give the sandbox views call by call; the reference is the whole construction', () => {
  const r = replay(record(), multi);
  const truth = episodeViews(episodeOf(multi, 'reasoning'));
  assert.ok(sameRaster(r.original, originalImage(multi.scene)));
  assert.equal(r.views.map((v) => v.call), [1, 3, 4]);
  r.views.forEach((v, k) => assert.ok(v.image && sameRaster(v.image, truth[k + 1]!), `view after call ${v.call}`));
  assert.ok(r.reference && sameRaster(r.reference, truth.at(-1)!));
});

test('rolloutStrip: one row, original + one cell per successful call + reference', () => {
  const png = decodePng(Buffer.from(rolloutStrip(record(), multi, 64)));
  const none = decodePng(Buffer.from(rolloutStrip(record({ calls: [] }), multi, 64)));
  assert.ok(png.width > none.width * 2, `${png.width} vs ${none.width}`);
  assert.is(png.height, none.height);
});

test('pickRollouts: per kind, successful calls first, then right ones; deterministic', () => {
  const plain = record({ id: 'a/reasoning', calls: [], reward: { ...record().reward, correct: false, total: 0 } });
  const right = record({ id: 'b/reasoning', calls: [], reward: { ...record().reward, correct: true } });
  const tool = record({ id: 'c/reasoning', reward: { ...record().reward, correct: false, total: -1 } });
  const draw = record({ id: 'd/instruction', kind: 'instruction', calls: [] });
  assert.equal(pickRollouts([plain, right, draw, tool], 2).map((r) => r.id), ['c/reasoning', 'b/reasoning', 'd/instruction']);
  assert.is(sampleIdOf('r1-bisector-side-c6095ad3-s1-s2/reasoning'), 'r1-bisector-side-c6095ad3-s1-s2');
});

test('turns and Markdown: a turn ends at the sandbox reply; tags and pipes stay visible', () => {
  assert.equal(turns('<think> a </think> <code> x </code> <sandbox_output> ok </sandbox_output> <answer> 1 </answer>'), [
    '<think> a </think> <code> x </code> <sandbox_output> ok </sandbox_output>',
    '<answer> 1 </answer>',
  ]);
  const md = rolloutMarkdown(record(), 1);
  assert.match(md, /\| 2 \| `is` \| `line 1: unknown operation "is"` \|/);
  assert.match(md, /\[turn 2\] <think> more <\/think>/);
  assert.is(inlineCode('a | <b> `c`'), '`` a \\| <b> `c` ``');
  assert.is(inlineCode(''), '` `');
});

test.run();
