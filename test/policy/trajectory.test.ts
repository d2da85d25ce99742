import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildTrajectory, checkFormat, imageSlots, lossMask, parseTrajectory, responseText, specFromSample, type TrajectorySpec } from '../../vthinker/policy/trajectory.ts';
import { tokenizer } from './fixtures/vocab.ts';

const ONE: TrajectorySpec = {
  question: 'does ray A B cross segment C D ?',
  calls: [{ thought: 'extend A B', ops: [{ op: 'ray', from: [40, 22], through: [90, 60] }] }],
  conclusion: 'ray crosses segment C D',
  answer: 'yes',
};
const TWO: TrajectorySpec = {
  question: 'how many dots in the circle ?',
  calls: [
    { thought: 'mark midpoint of A B', ops: [{ op: 'point', at: [10, 10] }] },
    { thought: 'draw circle', ops: [{ op: 'circle', center: [10, 10], r: 20 }, { op: 'line', from: [0, 0], to: [5, 5] }] },
  ],
  conclusion: '3 dots in the circle',
  answer: '3',
};

const tokensWhere = (tok: ReturnType<typeof tokenizer>, ids: number[], mask: number[]) => ids.filter((_, i) => mask[i] === 1).map((i) => tok.token(i)).join(' ');

test('response text in the paper\'s literal layout', () => {
  assert.is(responseText(ONE), '<think> extend A B <code> ray 40 22 90 60 </code> <sandbox_output> <image> </sandbox_output> ray crosses segment C D </think> <answer> yes </answer>');
  assert.ok(checkFormat(responseText(TWO)).ok);
});

test('specFromSample: single call by default, one call per step with multiStep', () => {
  const sample = {
    question: 'q ?', answer: 'yes', thought: { before: 'extend A B ; mark midpoint of C D', after: 'ray crosses segment C D' },
    overlay: [{ op: 'point', at: [1, 1] }, { op: 'point', at: [2, 2] }] as const,
    steps: [{ ops: [{ op: 'point', at: [1, 1] }] as const }, { ops: [{ op: 'point', at: [2, 2] }] as const }],
  };
  const single = specFromSample(sample);
  assert.is(single.calls.length, 1);
  assert.is(single.calls[0]!.ops.length, 2);
  assert.is(single.calls[0]!.thought, 'extend A B ; mark midpoint of C D');
  const multi = specFromSample(sample, { multiStep: true });
  assert.equal(multi.calls.map((c) => c.thought), ['extend A B', 'mark midpoint of C D']);
  assert.is(multi.conclusion, 'ray crosses segment C D');
  const none = specFromSample({ ...sample, overlay: [], steps: [] });
  assert.is(none.calls.length, 0);
  assert.is(responseText(none), '<think> extend A B ; mark midpoint of C D ray crosses segment C D </think> <answer> yes </answer>');
});

test('mask with one tool call: prompt and the sandbox output are out, everything else in', () => {
  const tok = tokenizer();
  const t = buildTrajectory(tok, ONE);
  assert.equal(t.unknown, []);
  assert.is(tok.token(t.ids[0]!), '<bos>');
  assert.is(tok.token(t.ids[t.ids.length - 1]!), '<eos>');
  assert.is(t.mask.slice(0, t.promptLength).reduce((a, b) => a + b, 0), 0);
  assert.is(tokensWhere(tok, t.ids, t.mask), '<think> extend A B <code> op:ray c20 c11 c45 c30 </code> ray crosses segment C D </think> <answer> yes </answer> <eos>');
  assert.equal(lossMask(tok, t.ids, t.promptLength, { finalRoundsOnly: false }), t.mask);
});

test('mask with two tool calls: only the final two rounds unless finalRoundsOnly is off', () => {
  const tok = tokenizer();
  const t = buildTrajectory(tok, TWO);
  assert.is(tokensWhere(tok, t.ids, t.mask), 'draw circle <code> op:circle c5 c5 c10 op:sep op:line c0 c0 c2 c2 </code> 3 dots in the circle </think> <answer> 3 </answer> <eos>');
  const all = lossMask(tok, t.ids, t.promptLength, { finalRoundsOnly: false });
  assert.is(tokensWhere(tok, t.ids, all), '<think> mark midpoint of A B <code> op:point c5 c5 </code> draw circle <code> op:circle c5 c5 c10 op:sep op:line c0 c0 c2 c2 </code> 3 dots in the circle </think> <answer> 3 </answer> <eos>');
  // <pad> is never supervised.
  const padded = [...t.ids, tok.ids.pad, tok.ids.pad];
  assert.equal(lossMask(tok, padded, t.promptLength).slice(-2), [0, 0]);
});

test('image slots: 0 for the prompt image, k for the k-th returned view, -1 elsewhere', () => {
  const tok = tokenizer();
  const t = buildTrajectory(tok, TWO);
  const slots = t.imageIndex.filter((k) => k >= 0);
  assert.equal(slots, [0, 1, 2]);
  assert.is(t.imageIndex[1], 0); // right after <bos>
  t.ids.forEach((id, i) => assert.is(t.imageIndex[i]! >= 0, id === tok.ids.image));
  // A failed call returns <error>, not an image, so it takes no index.
  const ids = tok.encode('<image> <think> <code> point 1 1 </code> <sandbox_output>Sandbox for x: bad</sandbox_output> <code> point 2 2 </code> <sandbox_output><image></sandbox_output>');
  assert.equal(imageSlots(tok, ids).filter((k) => k >= 0), [0, 1]);
});

test('parse: segments, codes, outputs, answer and conclusion', () => {
  const text = responseText(TWO);
  const p = parseTrajectory(text);
  assert.equal(p.codes, ['point 10 10', 'circle 10 10 20\nline 0 0 5 5']);
  assert.equal(p.sandboxOutputs, ['<image>', '<image>']);
  assert.is(p.answer, '3');
  assert.is(p.conclusion, '3 dots in the circle');
  assert.ok(p.format.ok);
  assert.equal(p.segments.map((s) => s.kind), ['think', 'code', 'sandbox', 'think', 'code', 'sandbox', 'think', 'answer']);
  const bare = parseTrajectory('<think> count 3 </think><answer>3</answer>');
  assert.is(bare.conclusion, 'count 3');
  assert.is(parseTrajectory('<think> no answer here').answer, null);
  assert.is(parseTrajectory('<think> x </think> <answer> </answer>').answer, '');
});

test('format: the strict layout and its failures', () => {
  const ok = ['<think>a</think><answer>b</answer>', '  <think> a </think>\n<answer> b </answer>\n', responseText(ONE),
    '<think> x <code>line 1 2 3 4</code><sandbox_output>Sandbox for q: bad</sandbox_output> y </think> <answer>no</answer>'];
  for (const t of ok) assert.ok(checkFormat(t).ok, t);
  const bad: Array<[string, RegExp]> = [
    ['a <think>a</think><answer>b</answer>', /start/],
    ['<think>a</think><answer>b</answer> trailing', /end/],
    ['<think>a</think> x <answer>b</answer>', /between/],
    ['<think>a</think><think>a</think><answer>b</answer>', /appears 2 times/],
    ['<think>a</think><answer>b</answer><answer>b</answer>', /appears 2 times/],
    ['<answer>b</answer><think>a</think>', /start/],
    ['<think>a <code>line 1 2 3 4</think><answer>b</answer>', /unclosed <code>/],
    ['<think>a <code>line 1 2 3 4</code> b </think><answer>b</answer>', /no <sandbox_output>/],
    ['<think>a <code>x</code> b <sandbox_output><image></sandbox_output></think><answer>b</answer>', /between <\/code>/],
    ['<think>a <sandbox_output><image></sandbox_output></think><answer>b</answer>', /unexpected <sandbox_output>/],
    ['<think>a</think><answer><code>b</code></answer>', /inside <answer>/],
  ];
  for (const [t, why] of bad) {
    const r = checkFormat(t);
    assert.not.ok(r.ok, t);
    assert.match(r.problem!, why, t);
  }
});

test.run();
