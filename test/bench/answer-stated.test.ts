// bench/answer-stated.ts: which gold trajectories choose their answer before the view (and so cannot measure reading).
// Hand-made thoughts of each kind, then every question family as the flywheel writes it: only curve-value states it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { statesAnswer } from '../../bench/answer-stated.ts';
import { specFromSample } from '../../vthinker/policy/trajectory.ts';
import { createSample } from '../../vthinker/synth/create.ts';
import { FAMILIES } from '../../vthinker/synth/families/index.ts';
import { rng } from '../../vthinker/util/random.ts';

const spec = (question: string, thought: string, answer: string) => ({ question, answer, calls: [{ thought, ops: [] }] });

test('a thought that picks the value before drawing states the answer, also when it equals a number of the question', () => {
  assert.ok(statesAnswer(spec('what is the value of the red curve at x 1 ?', 'draw vertical line at 1 ; draw horizontal line at 6', '6')));
  assert.ok(statesAnswer(spec('what is the value of the red curve at x 6 ?', 'draw vertical line at 6 ; draw horizontal line at 6', '6')));
});

test('restating the question, naming every candidate, or no call at all does not', () => {
  assert.not.ok(statesAnswer(spec('how many bars are above y 2 ?', 'draw horizontal line at 2', '2')), 'the number comes from the question');
  assert.not.ok(statesAnswer(spec('is W closer to S or to I ?', 'S is green and I is red bisect S I', 'S')), 'both candidates named');
  assert.not.ok(statesAnswer(spec('which of L W N is nearest to line Z H ?', 'L is orange and W is brown and N is teal', 'N')));
  assert.not.ok(statesAnswer({ question: 'how many dots ?', answer: '3', calls: [] }), 'a direct answer has no view to read');
});

test('of the flywheel families, curve-value states its answer in every sample and no other family in any', () => {
  for (const family of Object.values(FAMILIES)) {
    const stated = family.answers.map((target, i) => statesAnswer(specFromSample(createSample({ family: family.id, target }, rng(7 + i)))));
    assert.equal(stated.filter(Boolean).length, family.id === 'curve-value' ? stated.length : 0, family.id);
  }
});

test.run();
