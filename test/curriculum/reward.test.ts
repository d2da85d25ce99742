// The curriculum's reward (curriculum/reward.ts) on hand-built rollouts: drawing episodes are judged on what the
// sandbox actually ran (the successful calls), with the paper's weights; reasoning episodes get policy/reward.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { episodeOf, type Episode } from '../../vthinker/curriculum/episode.ts';
import { episodeReward, judgeDrawing } from '../../vthinker/curriculum/reward.ts';
import { computeReward, PAPER_REWARD_WEIGHTS } from '../../vthinker/policy/reward.ts';
import type { Rollout, ToolCall } from '../../vthinker/policy/rollout.ts';
import { formatProgram } from '../../vthinker/scene/drawlang.ts';
import { synthesize } from '../../vthinker/synth/synthesize.ts';

const sample = synthesize({ seed: 3, count: 20 }).samples.find((s) => s.family === 'ray-cross')!;
const instruction = episodeOf(sample, 'instruction');
const perception = episodeOf(sample, 'perception');
const reasoning = episodeOf(sample, 'reasoning');
const gold = (e: Episode) => formatProgram(e.spec.calls[0]!.ops);
const near = (a: number, b: number) => Math.abs(a - b) < 1e-9;

/** A rollout as the reward sees it: the response text and the calls (ids and images are not read). */
function rolloutOf(text: string, calls: ToolCall[]): Rollout {
  return { ids: [], promptLength: 0, generated: [], images: [], calls, text, rounds: calls.length + 1, stop: 'answer' };
}
/** A well-formed response with these codes (the sandbox outputs as the rollout spells them) and an answer. */
function response(codes: Array<[code: string, ok: boolean]>, answer: string, conclusion = ''): string {
  const calls = codes.map(([c, ok]) => `<code> ${c} </code> <sandbox_output> ${ok ? '<image>' : 'Sandbox for x: line 1: bad'} </sandbox_output>`);
  return `<think> look ${calls.join(' ')} ${conclusion} </think> <answer> ${answer} </answer>`.replace(/ +/g, ' ');
}
const ok = (code: string): ToolCall => ({ code, ok: true, imageIndex: 1 });
const failed = (code: string): ToolCall => ({ code, ok: false, message: 'Sandbox for x: line 1: bad' });

test('instruction, the exact construction: correct; accuracy = correct weight; tool term for the calls that ran', () => {
  const code = gold(instruction);
  const r = episodeReward(instruction, rolloutOf(response([[code, true]], 'done'), [ok(code)]));
  assert.is(r.kind, 'instruction');
  assert.ok(r.correct);
  assert.ok(r.formatOk);
  assert.equal([r.format, r.accuracy, r.consistency, r.tool], [0.5, 1, 0, 0.3]);
  assert.ok(near(r.total, 1.8));
  assert.equal([r.calls, r.failedCalls], [1, 0]);
  assert.is(r.answer, 'done');
  // a failed call before the right one halves the tool term, the drawing still passes
  const r2 = episodeReward(instruction, rolloutOf(response([['ray 1', false], [code, true]], 'done'), [failed('ray 1'), ok(code)]));
  assert.ok(r2.correct);
  assert.equal([r2.calls, r2.failedCalls], [2, 1]);
  assert.ok(near(r2.tool, 0.15) && near(r2.total, 1.65));
  // the weights are parameters
  const w = { format: 0.2, correct: 2, wrong: -0.5, tool: 0.1 };
  const r3 = episodeReward(instruction, rolloutOf(response([[code, true]], 'done'), [ok(code)]), { weights: w });
  assert.equal([r3.format, r3.accuracy, r3.tool], [0.2, 2, 0.1]);
});

test('perception, the targets marked: correct; a mark elsewhere: wrong', () => {
  const code = gold(perception);
  const r = episodeReward(perception, rolloutOf(response([[code, true]], perception.gold.answer), [ok(code)]));
  assert.is(r.kind, 'perception');
  assert.ok(r.correct);
  assert.is(r.accuracy, PAPER_REWARD_WEIGHTS.correct);
  const [x, y] = Object.values(perception.gold.targets!)[0]!;
  const away = `point ${x > 64 ? 10 : 118} ${y > 64 ? 10 : 118}`;
  const w = episodeReward(perception, rolloutOf(response([[away, true]], perception.gold.answer), [ok(away)]));
  assert.not.ok(w.correct);
  assert.is(w.accuracy, PAPER_REWARD_WEIGHTS.wrong);
  assert.is(w.tool, 0, 'the tool term is gated on a correct drawing');
});

test('a wrong construction: the wrong weight; with partialCredit, between wrong and correct by its quality', () => {
  const code = gold(instruction);
  // the right ray plus a long stray line: every part covered, precision too low to pass
  const stray = `${code}\nline 0 127 127 127\nline 0 0 0 127`;
  const rollout = rolloutOf(response([[stray, true]], 'done'), [ok(stray)]);
  const plain = episodeReward(instruction, rollout);
  assert.not.ok(plain.correct);
  assert.equal([plain.accuracy, plain.tool], [-1, 0]);
  assert.ok(near(plain.total, 0.5 - 1));
  const verdict = judgeDrawing(instruction, rollout);
  assert.equal([verdict.pass, verdict.drew], [false, true]);
  assert.ok(verdict.quality > 0.1 && verdict.quality < 1, `quality ${verdict.quality}`);
  const partial = episodeReward(instruction, rollout, { partialCredit: true });
  assert.not.ok(partial.correct);
  assert.ok(near(partial.accuracy, -1 + 2 * 0.5 * verdict.quality), `${partial.accuracy}`);
  assert.ok(partial.accuracy > -1 && partial.accuracy < 0);
  assert.is(partial.tool, 0);
  // a drawing nowhere near scores quality 0: the plain wrong weight even with partial credit
  const far = 'point 1 1';
  const nothing = episodeReward(instruction, rolloutOf(response([[far, true]], 'done'), [ok(far)]), { partialCredit: true });
  assert.is(judgeDrawing(instruction, rolloutOf('', [ok(far)])).quality, 0);
  assert.is(nothing.accuracy, -1);
  // partial credit never lifts a passing drawing above the correct weight
  assert.is(episodeReward(instruction, rolloutOf(response([[code, true]], 'done'), [ok(code)]), { partialCredit: true }).accuracy, 1);
});

test('nothing drawn: the wrong weight (no call, or only failed calls); the judge reads the calls that ran, not the text', () => {
  const none = episodeReward(instruction, rolloutOf('<think> no idea </think> <answer> done </answer>', []));
  assert.equal([none.accuracy, none.tool, none.calls], [-1, 0, 0]);
  assert.not.ok(none.correct);
  assert.ok(none.formatOk);
  assert.is(none.total, -0.5);
  const code = gold(instruction);
  // the right code in the text, but the sandbox refused it: nothing was drawn
  const refused = episodeReward(instruction, rolloutOf(response([[code, false]], 'done'), [failed(code)]));
  assert.equal([refused.accuracy, refused.correct, refused.calls, refused.failedCalls], [-1, false, 1, 1]);
  assert.equal(judgeDrawing(instruction, rolloutOf('', [failed(code)])), { pass: false, quality: 0, drew: false });
});

test('format term: only for the strict think/answer layout, independent of the drawing', () => {
  const code = gold(instruction);
  const unfinished = episodeReward(instruction, rolloutOf(`<think> look <code> ${code} </code> <sandbox_output> <image> </sandbox_output>`, [ok(code)]));
  assert.not.ok(unfinished.formatOk);
  assert.is(unfinished.format, 0);
  assert.ok(unfinished.correct, 'the drawing still passes');
  assert.ok(near(unfinished.total, 1.3));
  assert.is(typeof unfinished.formatProblem, 'string');
  assert.is(unfinished.answer, null);
});

test('reasoning episodes: exactly policy/reward.ts (answer, consistency, tool gated on a correct answer)', () => {
  const code = gold(reasoning);
  const right = response([[code, true]], sample.answer, sample.thought.after);
  const wrongAnswer = sample.answer === 'yes' ? 'no' : 'yes';
  for (const [text, calls] of [
    [right, [ok(code)]],
    [response([[code, true]], wrongAnswer, sample.thought.after), [ok(code)]],
    ['<think> hmm </think>', []],
  ] as const) {
    const r = episodeReward(reasoning, rolloutOf(text, [...calls]));
    assert.equal(r, { kind: 'reasoning', ...computeReward({ response: text, gold: sample.answer, reference: sample.thought.after }) });
  }
  const r = episodeReward(reasoning, rolloutOf(right, [ok(code)]));
  assert.ok(r.correct);
  assert.equal([r.format, r.accuracy, r.tool], [0.5, 1, 0.3]);
  assert.ok(near(r.total, 0.5 + 1 + r.consistency + 0.3));
  const w = episodeReward(reasoning, rolloutOf(response([[code, true]], wrongAnswer), [ok(code)]));
  assert.equal([w.accuracy, w.tool, w.consistency], [-1, 0, 0]);
  // options pass through (no consistency term)
  assert.is(episodeReward(reasoning, rolloutOf(right, [ok(code)]), { withConsistency: false }).consistency, 0);
  // the drawing does not matter for reasoning: the answer does
  assert.ok(episodeReward(reasoning, rolloutOf(response([], sample.answer), [])).correct);
});

test.run();
