import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Tokenizer } from '../../vthinker/policy/tokenizer.ts';
import { tokenizer, WORDS } from './fixtures/vocab.ts';

const TEXT = '<think> extend A B <code> ray 40 22 90 60 </code> <sandbox_output><image></sandbox_output> ray crosses segment C D </think> <answer> yes </answer>';

test('layout: specials first, bins shared, words deduplicated and completed', () => {
  const tok = tokenizer();
  assert.is(tok.token(0), '<pad>');
  assert.is(tok.ids.pad, 0);
  assert.is(tok.bins, 64);
  assert.ok(tok.has('c0') && tok.has('c63') && !tok.has('c64'));
  for (const w of ['yes', 'no', '0', '20', 'A', 'Z', 'ray', 'op:ray', 'op:sep', '<error>']) assert.ok(tok.has(w), w);
  assert.is(new Set(tok.tokens).size, tok.size);
  assert.throws(() => new Tokenizer({ words: ['c3'] }), /collides/);
  assert.throws(() => new Tokenizer({ words: ['two words'] }), /whitespace/);
});

test('code numbers become bins, prose words stay words; ops are distinct tokens', () => {
  const tok = tokenizer();
  const tokens = tok.encode(TEXT).map((i) => tok.token(i));
  assert.equal(tokens.slice(0, 10), ['<think>', 'extend', 'A', 'B', '<code>', 'op:ray', 'c20', 'c11', 'c45', 'c30']);
  assert.equal(tokens.slice(10, 14), ['</code>', '<sandbox_output>', '<image>', '</sandbox_output>']);
  assert.is(tokens[14], 'ray'); // the word, not the op
});

test('decode gives the text form at bin centres; decode . encode is idempotent', () => {
  const tok = tokenizer();
  const once = tok.decode(tok.encode(TEXT));
  assert.is(once, '<think> extend A B <code> ray 41 23 91 61 </code> <sandbox_output> <image> </sandbox_output> ray crosses segment C D </think> <answer> yes </answer>');
  assert.is(tok.decode(tok.encode(once)), once);
});

test('several operations: separators in, one operation per line out; layout tolerance', () => {
  const tok = tokenizer();
  const ids = tok.encode('<code> line(1, 2, 3, 4); point 5 6\n```\ncircle 64 64 20 # comment\n</code>');
  assert.equal(ids.filter((i) => i === tok.ids.sep).length, 2);
  assert.is(tok.decode(ids), '<code> line 1 3 3 5\npoint 5 7\ncircle 65 65 21 </code>');
});

test('quantisation: clamped to the canvas, error at most half a bin', () => {
  const tok = tokenizer();
  assert.is(tok.quantise(-5), 0);
  assert.is(tok.quantise(500), 63);
  assert.is(tok.dequantise(63), 127);
  for (let v = 0; v < 128; v++) assert.ok(Math.abs(tok.dequantise(tok.quantise(v)) - v) <= 1, String(v));
  const odd = new Tokenizer({ words: [], binSize: 3, canvas: { width: 100, height: 80 } });
  assert.is(odd.bins, 34);
  assert.is(odd.dequantise(33), 99);
  for (let v = 0; v < 100; v++) assert.ok(Math.abs(odd.dequantise(odd.quantise(v)) - v) <= 1.5, String(v));
});

test('unknown words: <unk> and counted, or a strict error naming the word', () => {
  const tok = tokenizer();
  const r = tok.encodeWithStats('does ray A B cross zebra ? <code> line 1 2 3 4.5 ; blob 1 </code> c12 op:line');
  assert.equal(r.unknown, ['zebra', '4.5', 'blob', 'c12', 'op:line']);
  assert.is(r.ids.filter((i) => i === tok.ids.unk).length, 5);
  assert.throws(() => tok.encode('does zebra cross', { strict: true }), /unknown word "zebra"/);
  assert.throws(() => new Tokenizer({ words: WORDS, strict: true }).encode('<code> line 1 2 3 4.5 </code>'), /4\.5/);
});

test('a failed call\'s message becomes one <error> token', () => {
  const tok = tokenizer();
  const ids = tok.encode('<code> line 1 2 </code> <sandbox_output>Sandbox for s1: line 1: line takes 4 integers</sandbox_output> extend');
  const tokens = ids.map((i) => tok.token(i));
  assert.equal(tokens.slice(-4), ['<sandbox_output>', '<error>', '</sandbox_output>', 'extend']);
  assert.is(tok.encodeWithStats('<sandbox_output>Sandbox for x</sandbox_output>').unknown.length, 0);
});

test('pad, bos, eos are dropped by decode; toJSON/fromJSON round trip and guard', () => {
  const tok = tokenizer();
  const ids = [tok.ids.bos, ...tok.encode('yes A'), tok.ids.eos, tok.ids.pad];
  assert.is(tok.decode(ids), 'yes A');
  const json = JSON.parse(JSON.stringify(tok.toJSON()));
  const back = Tokenizer.fromJSON(json);
  assert.equal(back.tokens, tok.tokens);
  assert.equal(back.encode(TEXT), tok.encode(TEXT));
  assert.throws(() => Tokenizer.fromJSON({ ...json, tokens: [...json.tokens.slice(1), '<pad>'] }), /differs/);
  assert.throws(() => Tokenizer.fromJSON({ ...json, format: 'x' }), /format/);
});

test('answers: a point dict becomes name + two bins per pair and decodes to the dict at bin centres', () => {
  const tok = new Tokenizer({ words: [...WORDS, 'red', 'P1', 'P2'] });
  const text = "<think> A is red </think> <answer> {'P1': (40, 22), 'P2': (127, 0)} </answer>";
  const { ids, unknown } = tok.encodeWithStats(text);
  assert.equal(unknown, []);
  assert.equal(ids.map((i) => tok.token(i)), ['<think>', 'A', 'is', 'red', '</think>', '<answer>', 'P1', 'c20', 'c11', 'P2', 'c63', 'c0', '</answer>']);
  const out = tok.decode(ids);
  assert.is(out, "<think> A is red </think> <answer> {'P1': (41, 23), 'P2': (127, 1)} </answer>");
  // decode . encode is idempotent on the dict form; a pair without a name is keyed by position.
  assert.is(tok.decode(tok.encode(out)), out);
  assert.is(tok.decodeAnswer([tok.binId(3), tok.binId(4)]), "{'P1': (7, 9)}");
  assert.is(tok.decodeAnswer([tok.id('P2'), tok.binId(3)]), '{}');
  // Answers without pairs stay prose; numbers outside <answer> are untouched words.
  assert.equal(tok.encode('<answer> 3 </answer>').map((i) => tok.token(i)), ['<answer>', '3', '</answer>']);
  assert.equal(tok.encode('<answer> (1.6, 3) </answer>').map((i) => tok.token(i)), ['<answer>', 'c1', 'c1', '</answer>']);
  assert.equal(tok.encodeWithStats('P1 (4, 4)').unknown, ['(4,', '4)']);
});

test.run();
