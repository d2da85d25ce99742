import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { answersEqual, parseAnswer } from '../../vthinker/policy/answer.ts';
import { latexToPlain } from '../../vthinker/policy/latex.ts';
import { evaluateNumber } from '../../vthinker/policy/numeric.ts';
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

test('options: (C), Option C, option (c), an option with its text', () => {
  for (const p of ['C', '(C)', 'C)', 'Option C', 'option (c)', 'Choice C', '(C) 8/11', 'C: √3', '\\boxed{C}', 'c']) assert.ok(answersEqual(p, 'C'), p);
  assert.not.ok(answersEqual('B:2√3', 'C'), 'the official judge example: another option with the right-looking text');
  assert.not.ok(answersEqual('(C) 8/11', '8/11'), 'a letter is not the option text');
  assert.not.ok(answersEqual('A B', 'A'));
});

test('surds, pi, fractions and powers are numbers', () => {
  for (const p of ['2√3', '2\\sqrt{3}', '2\\sqrt3', '2√(3)', '2 sqrt(3)', '2*sqrt(3)', '√12', '$2\\sqrt{3}$', '3.4641']) assert.ok(answersEqual(p, '2\\sqrt{3}'), p);
  assert.not.ok(answersEqual('3.46', '2√3'), 'two decimals are not the exact value');
  assert.not.ok(answersEqual('3√2', '2√3'));
  assert.ok(answersEqual('\\frac{\\sqrt{3}}{2}', '√3/2'));
  assert.ok(answersEqual('\\dfrac{1}{2}', '1/2'));
  assert.ok(answersEqual('\\frac12', '0.5'));
  assert.ok(answersEqual('3π', '3\\pi'));
  assert.ok(answersEqual('\\pi/2', '1.5708'));
  assert.ok(answersEqual('2^3', '8'));
  assert.ok(answersEqual('\\sqrt[3]{8}', '2'));
  assert.ok(answersEqual('−2', '-2'), 'unicode minus');
  assert.ok(answersEqual('x = 3', '3'), 'a variable set to a number is that number');
  assert.is(evaluateNumber('2(1+1)'), 4);
  assert.is(evaluateNumber('2x'), null);
});

test('degrees and units: a unit on one side is ignored, two different units never match', () => {
  for (const p of ['60°', '60^\\circ', '60^{\\circ}', '60 degrees', '60']) assert.ok(answersEqual(p, '60°'), p);
  assert.ok(answersEqual('12 cm^2', '12'));
  assert.ok(answersEqual('12 cm²', '12 cm^2'));
  assert.not.ok(answersEqual('12 cm^2', '12 cm'));
  assert.ok(answersEqual('50%', '50'));
  assert.not.ok(answersEqual('50%', '0.5'), 'a percentage is not rescaled');
  assert.not.ok(answersEqual('12 square units', '12'), 'several words are text, not a unit');
});

test('tuples and intervals compare part by part, brackets included', () => {
  assert.ok(answersEqual('(-2, 1]', '(-2,1]'));
  assert.ok(answersEqual('\\((-2, 1]\\)', '(-2,1]'));
  assert.not.ok(answersEqual('(-2, 1)', '(-2,1]'), 'the official judge example: another bracket');
  assert.ok(answersEqual('(3.0, \\frac{1}{2})', '(3, 0.5)'));
  assert.not.ok(answersEqual('(3, 4, 5)', '(3, 4)'));
  assert.not.ok(answersEqual('(4, 3)', '(3, 4)'));
});

test('text: LaTeX spelling, case and whitespace set aside, no algebra', () => {
  assert.ok(answersEqual('y = 2x + 1', 'y=2x+1'));
  assert.ok(answersEqual('$y = 2x + 1$', 'Y=2X+1'));
  assert.ok(answersEqual('\\frac{x^2}{81} + \\frac{y^2}{9} = 1', '(x^2)/(81)+(y^2)/(9)=1'));
  assert.ok(answersEqual('2\\sqrt{x}', '2√x'));
  assert.not.ok(answersEqual('y = 1 + 2x', 'y = 2x + 1'));
  assert.is(latexToPlain('\\left( \\frac{a}{b} \\right) \\cdot 90^\\circ'), '( (a)/(b) ) * 90°');
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
