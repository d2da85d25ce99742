import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { answersEqual, parseAnswer } from '../../vthinker/policy/answer.ts';
import { isConsistent } from '../../vthinker/policy/consistency.ts';

test('yes/no: case, punctuation and wrappers ignored', () => {
  for (const p of ['yes', 'Yes', 'YES.', ' yes ', '\\boxed{yes}', '"yes"', 'true']) assert.ok(answersEqual(p, 'yes'), p);
  assert.not.ok(answersEqual('no', 'yes'));
  assert.not.ok(answersEqual('yes', 'Y'), 'Y is a label, not yes');
});

test('labels are single letters, case-insensitive', () => {
  assert.ok(answersEqual('b', 'B'));
  assert.ok(answersEqual('B.', 'B'));
  assert.not.ok(answersEqual('C', 'B'));
  assert.not.ok(answersEqual('B C', 'B'));
  assert.equal(parseAnswer('N'), { kind: 'label', value: 'N' });
});

test('numbers: integers, decimals, fractions, LaTeX fractions, units', () => {
  assert.ok(answersEqual('3', '3'));
  assert.ok(answersEqual('3.0', '3'));
  assert.ok(answersEqual('+3', '3'));
  assert.not.ok(answersEqual('4', '3'));
  assert.ok(answersEqual('1/2', '0.5'));
  assert.ok(answersEqual('\\frac{1}{3}', '0.33333'));
  assert.ok(answersEqual('$\\dfrac{3}{4}$', '3/4'));
  assert.not.ok(answersEqual('0.33', '1/3'));
  assert.ok(answersEqual('5 cm', '5'));
  assert.ok(answersEqual('5cm', '5 cm'));
  assert.not.ok(answersEqual('5 cm', '5 m'));
  assert.ok(answersEqual('90°', '90 degrees'));
  assert.ok(answersEqual('1,000', '1000'));
  assert.ok(answersEqual('-2', '-2.0'));
  assert.not.ok(answersEqual('1/0', '1/0'.replace('0', '1')));
});

test('free text and empty answers', () => {
  assert.ok(answersEqual('Red  Curve', 'red curve'));
  assert.not.ok(answersEqual('', ''));
  assert.not.ok(answersEqual('3', 'three'));
});

test('consistency with a reference: the conclusion ends with it', () => {
  assert.ok(isConsistent('ray crosses segment C D', 'yes', 'ray crosses segment C D'));
  assert.ok(isConsistent('look again ray crosses segment C D', 'yes', 'ray crosses segment C D'));
  assert.not.ok(isConsistent('ray misses segment C D', 'yes', 'ray crosses segment C D'));
  assert.not.ok(isConsistent('ray crosses segment C D and more', 'yes', 'ray crosses segment C D'));
  assert.not.ok(isConsistent('', 'yes', 'ray crosses segment C D'));
});

test('consistency without a reference: polarity words, labels, numbers', () => {
  assert.ok(isConsistent('ray crosses segment C D', 'yes'));
  assert.not.ok(isConsistent('ray crosses segment C D', 'no'));
  assert.ok(isConsistent('P outside the circle', 'no'));
  assert.not.ok(isConsistent('P inside or outside', 'yes'), 'both polarities');
  assert.not.ok(isConsistent('bar Z below the line', 'yes'), 'no polarity word: needs a reference');
  assert.ok(isConsistent('shortest perpendicular from B', 'B'));
  assert.not.ok(isConsistent('shortest perpendicular from B', 'C'));
  assert.ok(isConsistent('3 dots in the circle', '3'));
  assert.not.ok(isConsistent('3 dots in the circle', '4'));
  assert.not.ok(isConsistent('', '3'));
});

test.run();
