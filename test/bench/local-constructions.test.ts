// bench/local-constructions.ts: the shaded half-plane that replaces a side-judging construction must carry the answer
// locally (the point in question is in the shade exactly when the answer says so), for every sample of every family
// it rewrites, and leave other families alone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { halfPlanePolygon, pointOf, shadeSide } from '../../bench/local-constructions.ts';
import { questionLabels } from '../../vthinker/curriculum/zoom.ts';
import type { Pt } from '../../vthinker/scene/types.ts';
import { pointInPolygon } from '../../vthinker/scene/geometry.ts';
import { createSample } from '../../vthinker/synth/create.ts';
import type { Sample } from '../../vthinker/synth/types.ts';
import { rng } from '../../vthinker/util/random.ts';

test('the canvas clipped to a half-plane: a horizontal and a diagonal line, either side', () => {
  assert.equal(halfPlanePolygon([0, 64], [1, 0], [10, 10], 128, 128), [[0, 0], [128, 0], [128, 64], [0, 64]]);
  assert.equal(halfPlanePolygon([0, 64], [1, 0], [10, 100], 128, 128), [[128, 64], [128, 128], [0, 128], [0, 64]]);
  assert.equal(halfPlanePolygon([0, 0], [1, 1], [100, 10], 128, 128), [[0, 0], [128, 0], [128, 128]]);
  assert.throws(() => halfPlanePolygon([0, 0], [1, 1], [5, 5], 128, 128), /on the line/);
});

const labelAt = (s: Sample, label: string): Pt => {
  const at = pointOf(s, label);
  if (!at) throw new Error(`no point ${label}`);
  return at;
};
const labels = (s: Sample) => questionLabels(s.question);
const shade = (s: Sample) => {
  const op = s.overlay.at(-1)!;
  if (op.op !== 'polygon') throw new Error(`${s.family}: last op is ${op.op}`);
  return op.points;
};

/** The row of the horizontal line the original construction drew. */
const lineRow = (s: Sample) => {
  const op = s.overlay.find((o) => o.op === 'line');
  if (!op || op.op !== 'line' || op.from[1] !== op.to[1]) throw new Error(`${s.family}: no horizontal line`);
  return op.from[1];
};
/** The canvas above that row, as the shade must be. */
const above = (original: Sample, shaded: Sample) => {
  const y = lineRow(original);
  return JSON.stringify(shade(shaded)) === JSON.stringify([[0, 0], [128, 0], [128, y], [0, y]]);
};

/** Whether the shade, as the reader sees it, says the answer: one point in or out of it. */
const SAYS: Record<string, (original: Sample, s: Sample) => boolean> = {
  'same-side': (_, s) => pointInPolygon(labelAt(s, labels(s)[1]!), shade(s)) === (s.answer === 'yes'),
  'closer-endpoint': (_, s) => pointInPolygon(labelAt(s, labels(s)[0]!), shade(s)) === (s.answer === labels(s)[1]),
  'bisector-side': (_, s) => pointInPolygon(labelAt(s, labels(s)[0]!), shade(s)) === (s.answer === 'yes'),
  'bars-above': above,
  'bar-compare': above,
};

test('every rewritten family: the shade holds the point in question exactly when the answer says so', () => {
  for (const [family, says] of Object.entries(SAYS)) {
    for (let i = 0; i < 12; i++) {
      const sample = createSample({ family }, rng(100 + i));
      const shaded = shadeSide(sample);
      assert.ok(shaded, `${family} #${i} was not rewritten`);
      assert.ok(says(sample, shaded!), `${family} #${i}: ${shaded!.question} -> ${shaded!.answer}`);
      assert.equal(shaded!.steps.flatMap((s) => s.ops), shaded!.overlay);
    }
  }
});

test('other families are left alone', () => {
  assert.is(shadeSide(createSample({ family: 'ray-cross', target: 'yes' }, rng(3))), null);
  assert.is(shadeSide(createSample({ family: 'in-circle', target: 'no' }, rng(3))), null);
});

test.run();
