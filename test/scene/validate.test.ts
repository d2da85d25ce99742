import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { opProblem, validateProgram, validateScene } from '../../vthinker/scene/validate.ts';
import { TRIANGLE } from './fixtures/scenes.ts';

const throwsWith = (fn: () => unknown, text: string) => {
  try {
    fn();
  } catch (error) {
    assert.ok((error as Error).message.includes(text), `"${(error as Error).message}" should contain "${text}"`);
    return;
  }
  assert.unreachable(`expected an error containing "${text}"`);
};

test('a valid scene comes back equal (and survives a JSON round trip)', () => {
  assert.equal(validateScene(JSON.parse(JSON.stringify(TRIANGLE))), TRIANGLE);
});

test('errors name the element index and field, the expectation and the value', () => {
  const scene = JSON.parse(JSON.stringify(TRIANGLE));
  scene.elements[3].at = [400, 2];
  throwsWith(() => validateScene(scene), 'scene.elements[3].at: expected [x, y] numbers inside the 128x128 canvas, got [400, 2]');
});

test('each kind of malformation is reported', () => {
  const base = () => JSON.parse(JSON.stringify(TRIANGLE));
  throwsWith(() => validateScene(null), 'scene: expected an object');
  throwsWith(() => validateScene({ ...base(), width: 0 }), 'scene.width: expected an integer from 1 to 4096, got 0');
  throwsWith(() => validateScene({ ...base(), elements: 'x' }), 'scene.elements: expected a list');
  throwsWith(() => validateScene({ ...base(), elements: [{ kind: 'star' }] }), 'scene.elements[0].kind: expected one of point, segment');
  throwsWith(() => validateScene({ ...base(), elements: [{ kind: 'point', id: 'A', at: [1, 2], color: 'magenta' }] }), 'scene.elements[0].color: expected one of ink');
  throwsWith(() => validateScene({ ...base(), elements: [{ kind: 'circle', center: [1, 2], r: -1 }] }), 'scene.elements[0].r');
  throwsWith(() => validateScene({ ...base(), elements: [{ kind: 'polygon', points: [[1, 2], [3, 4]] }] }), 'scene.elements[0].points: expected a list of 3');
  throwsWith(() => validateScene({ ...base(), elements: [{ kind: 'segment', from: [1, 2], to: [3, Number.NaN] }] }), 'scene.elements[0].to');
  throwsWith(() => validateScene({ ...base(), elements: [{ kind: 'rect', at: [120, 120], w: 20, h: 20 }] }), 'scene.elements[0]: expected a rectangle inside');
  throwsWith(() => validateScene({ ...base(), elements: [{ kind: 'text', at: [1, 2], text: '' }] }), 'scene.elements[0].text');
  throwsWith(
    () => validateScene({ ...base(), elements: [{ kind: 'point', id: 'A', at: [1, 2] }, { kind: 'point', id: 'A', at: [3, 4] }] }),
    'scene.elements[1].id: point id "A" is already used by scene.elements[0]',
  );
});

test('validateProgram: structure, then optional canvas bounds', () => {
  const program = [
    { op: 'line', from: [0, 0], to: [10.5, 10] },
    { op: 'ray', from: [0, 0], through: [1, 1] },
    { op: 'point', at: [5, 5] },
    { op: 'circle', center: [5, 5], r: 3 },
    { op: 'polygon', points: [[0, 0], [5, 0], [0, 5]] },
    { op: 'crop', box: [0, 0, 64, 64] },
  ];
  assert.equal(validateProgram(program, { width: 128, height: 128 }), program);
  throwsWith(() => validateProgram({}), 'program: expected a list of operations');
  throwsWith(() => validateProgram([{ op: 'arc' }]), 'program[0].op: expected one of line');
  throwsWith(() => validateProgram([{ op: 'circle', center: [1, 1], r: 'big' }]), 'program[0].r');
  throwsWith(() => validateProgram([{ op: 'point', at: [500, 5] }], { width: 128, height: 128 }), 'program[0] (point): (500, 5) is outside the 128x128 canvas');
  // Without bounds, only the structure is checked.
  assert.is(validateProgram([{ op: 'point', at: [500, 5] }]).length, 1);
});

test('opProblem: canvas edges are inside, margins widen, crops have a minimum size', () => {
  const b = { width: 128, height: 128 };
  assert.is(opProblem({ op: 'line', from: [0, 0], to: [128, 128] }, b), null);
  assert.ok(opProblem({ op: 'line', from: [-2, 0], to: [128, 128] }, b));
  assert.is(opProblem({ op: 'line', from: [-2, 0], to: [128, 128] }, { ...b, margin: 4 }), null);
  assert.ok(opProblem({ op: 'ray', from: [3, 3], through: [3, 3] }, b)!.includes('must differ'));
  assert.ok(opProblem({ op: 'crop', box: [0, 0, 4, 64] }, b)!.includes('at least 8x8'));
  assert.ok(opProblem({ op: 'crop', box: [64, 0, 0, 64] }, b)!.includes('x0 < x1'));
  assert.ok(opProblem({ op: 'crop', box: [0, 0, 200, 64] }, b)!.includes('inside'));
  assert.ok(opProblem({ op: 'circle', center: [3, 3], r: 0 }, b)!.includes('radius'));
  assert.ok(opProblem({ op: 'polygon', points: Array.from({ length: 70 }, (_, i) => [i, i] as const) }, b)!.includes('3 to 64'));
});

test.run();
