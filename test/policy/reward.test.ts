import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { computeReward, isFailedOutput, PAPER_REWARD_WEIGHTS } from '../../vthinker/policy/reward.ts';

const OK_CALL = '<code> ray 40 22 90 60 </code> <sandbox_output><image></sandbox_output>';
const BAD_CALL = '<code> ray 40 22 </code> <sandbox_output>Sandbox for r1: line 1: ray takes 4 integers</sandbox_output>';
const resp = (calls: string[], conclusion: string, answer: string) => `<think> extend A B ${calls.join(' ')} ${conclusion} </think> <answer>${answer}</answer>`;
const REF = 'ray crosses segment C D';
const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} != ${b}`);

test('correct, formatted, consistent, one good call: every term', () => {
  const r = computeReward({ response: resp([OK_CALL], REF, 'yes'), gold: 'yes', reference: REF });
  assert.equal([r.format, r.accuracy, r.consistency, r.tool], [0.5, 1, 0.5, 0.3]);
  close(r.total, 2.3);
  assert.ok(r.correct && r.formatOk && r.consistent);
  assert.is(r.calls, 1);
});

test('wrong answer: -1, and consistency and tool do not count', () => {
  // No reference, so the generic rule judges: "misses" agrees with "no".
  const r = computeReward({ response: resp([OK_CALL], 'ray misses segment C D', 'no'), gold: 'yes' });
  assert.equal([r.format, r.accuracy, r.consistency, r.tool], [0.5, -1, 0, 0]);
  close(r.total, -0.5);
  assert.ok(r.consistent, 'consistent with its own (wrong) answer, still no bonus');
});

test('no answer: accuracy 0; empty answer counts as none', () => {
  const none = computeReward({ response: '<think> extend A B', gold: 'yes' });
  assert.equal([none.format, none.accuracy, none.total], [0, 0, 0]);
  assert.is(none.answer, null);
  const empty = computeReward({ response: resp([], REF, ' '), gold: 'yes' });
  assert.equal([empty.format, empty.accuracy, empty.total], [0.5, 0, 0.5]);
});

test('format failure still earns accuracy, consistency and tool when correct', () => {
  const r = computeReward({ response: `prefix ${resp([OK_CALL], REF, 'yes')}`, gold: 'yes', reference: REF });
  assert.equal([r.format, r.accuracy, r.consistency, r.tool], [0, 1, 0.5, 0.3]);
  assert.match(r.formatProblem!, /start/);
});

test('tool term: share of calls without error; none without calls', () => {
  const half = computeReward({ response: resp([BAD_CALL, OK_CALL], REF, 'yes'), gold: 'yes', reference: REF });
  close(half.tool, 0.15);
  assert.equal([half.calls, half.failedCalls], [2, 1]);
  const allBad = computeReward({ response: resp([BAD_CALL], REF, 'yes'), gold: 'yes', reference: REF });
  assert.is(allBad.tool, 0);
  const noCall = computeReward({ response: resp([], REF, 'yes'), gold: 'yes', reference: REF });
  assert.equal([noCall.tool, noCall.calls], [0, 0]);
  close(noCall.total, 2.0);
  // The tokenizer's stand-in for a message counts as a failure too.
  assert.ok(isFailedOutput('<error>'));
  assert.ok(isFailedOutput(' Sandbox for x: y'));
  assert.not.ok(isFailedOutput('<image>'));
});

test('inconsistent reasoning with a correct answer: no consistency term', () => {
  const r = computeReward({ response: resp([OK_CALL], 'ray misses segment C D', 'yes'), gold: 'yes', reference: REF });
  assert.equal([r.accuracy, r.consistency, r.tool], [1, 0, 0.3]);
});

test('weights are parameters; the formula without consistency', () => {
  const response = resp([OK_CALL], REF, 'yes');
  const r = computeReward({ response, gold: 'yes', reference: REF }, { withConsistency: false });
  assert.is(r.consistency, 0);
  close(r.total, 1.8);
  const w = computeReward({ response, gold: 'yes', reference: REF }, { weights: { format: 1, tool: 1, consistency: 2 } });
  close(w.total, 1 + 1 + 2 + 1);
  const wrong = computeReward({ response: resp([], REF, 'no'), gold: 'yes' }, { weights: { wrong: -0.25 } });
  close(wrong.total, 0.5 - 0.25);
  assert.equal(PAPER_REWARD_WEIGHTS, { format: 0.5, correct: 1, wrong: -1, consistency: 0.5, tool: 0.3 });
});

test('answer equivalence is used: case and numbers', () => {
  assert.is(computeReward({ response: resp([], '3 dots in the circle', '3.0'), gold: '3' }).accuracy, 1);
  assert.is(computeReward({ response: resp([], 'count', 'Yes'), gold: 'yes' }).accuracy, 1);
});

test.run();
