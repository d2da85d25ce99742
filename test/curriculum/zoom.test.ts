// The chart families' zoom (curriculum/zoom.ts): every zoomed construction keeps what its question turns on inside the
// view (the line, the named bars, the named curves where the line meets them, the whole circle or polygon), lies on
// the canvas and runs in the sandbox; other families and the drawing tasks never zoom.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { episodeOf } from '../../vthinker/curriculum/episode.ts';
import { episodeViews } from '../../vthinker/curriculum/examples.ts';
import { fitBox, polylineAt, questionLabels, squareAround, zoomBox, type Box } from '../../vthinker/curriculum/zoom.ts';
import type { Pt } from '../../vthinker/scene/types.ts';
import { createSample } from '../../vthinker/synth/create.ts';
import type { Sample } from '../../vthinker/synth/types.ts';
import { rng } from '../../vthinker/util/random.ts';

test('fitBox moves a box onto the canvas without shrinking it, and cuts only a box larger than the canvas', () => {
  assert.equal(fitBox([-10, 20, 30, 52], 128, 128), [0, 20, 40, 52]);
  assert.equal(fitBox([100, 110, 140, 142.4], 128, 128), [88, 96, 128, 128]);
  assert.equal(fitBox([-20, 10, 150, 40], 128, 128), [0, 10, 128, 40]);
  assert.equal(squareAround([0, 10, 40, 20]), [0, -5, 40, 35]);
});

test('polylineAt interpolates between vertices and is null outside the curve', () => {
  const curve: Pt[] = [[18, 100], [31, 74], [44, 74]];
  assert.is(polylineAt(curve, 18), 100);
  assert.is(polylineAt(curve, 24.5), 87);
  assert.is(polylineAt(curve, 40), 74);
  assert.is(polylineAt(curve, 50), null);
});

const inBox = ([x, y]: Pt, [x0, y0, x1, y1]: Box) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const lastOp = (s: Sample) => s.steps.at(-1)!.ops.at(-1)!;
const lineRow = (s: Sample) => {
  const op = lastOp(s);
  if (op.op !== 'line') throw new Error(`${s.family}: last op is ${op.op}`);
  return op.from[1];
};
const inkLetterX = (s: Sample, label: string) => {
  const t = s.scene.elements.find((e) => e.kind === 'text' && e.text === label && e.color === 'ink');
  if (t?.kind !== 'text') throw new Error(`no bar ${label}`);
  return t.at[0];
};
const onCanvas = (p: Pt) => [Math.min(128, Math.max(0, p[0])), Math.min(128, Math.max(0, p[1]))] as Pt;

/** What must be in the view for the family's question: points that the box has to hold. */
const MUST_SHOW: Record<string, (s: Sample) => Pt[]> = {
  'bars-above': (s) => [[20, lineRow(s)], [120, lineRow(s)]],
  'curve-crossings': (s) => [[20, lineRow(s)], [120, lineRow(s)]],
  'bar-compare': (s) => questionLabels(s.question).map((l) => [inkLetterX(s, l), lineRow(s)] as Pt),
  'curve-compare': (s) => {
    const op = lastOp(s);
    if (op.op !== 'line') throw new Error('curve-compare: no vertical line');
    const x = op.from[0];
    const words = s.question.split(' ');
    return words.filter((_, i) => words[i + 1] === 'curve').map((c) => {
      const curve = s.scene.elements.find((e) => e.kind === 'polyline' && e.color === c);
      if (curve?.kind !== 'polyline') throw new Error(`no ${c} curve`);
      return [x, polylineAt(curve.points, x)!] as Pt;
    });
  },
  'dots-in-circle': (s) => {
    const op = lastOp(s);
    if (op.op !== 'circle') throw new Error('dots-in-circle: no circle');
    const [cx, cy] = op.center;
    return ([[cx - op.r, cy], [cx + op.r, cy], [cx, cy - op.r], [cx, cy + op.r]] as Pt[]).map(onCanvas);
  },
  'dots-in-polygon': (s) => {
    const op = lastOp(s);
    if (op.op !== 'polygon') throw new Error('dots-in-polygon: no polygon');
    return [...op.points];
  },
};

test('every zoomed family: the box lies on the canvas, holds what the question turns on, and the sandbox runs it', () => {
  for (const [family, mustShow] of Object.entries(MUST_SHOW)) {
    for (let i = 0; i < 10; i++) {
      const sample = createSample({ family }, rng(200 + i));
      const box = zoomBox(sample);
      assert.ok(box, `${family} #${i}: no zoom`);
      const [x0, y0, x1, y1] = box!;
      assert.ok(x0 >= 0 && y0 >= 0 && x1 <= 128 && y1 <= 128 && x1 - x0 >= 16 && y1 - y0 >= 16, `${family} #${i}: box ${box}`);
      for (const p of mustShow(sample)) assert.ok(inBox(p, box!), `${family} #${i}: ${p} outside ${box} (${sample.question})`);
      const zoomed = episodeOf(sample, 'reasoning', { multiStep: false, zoom: true });
      assert.equal(zoomed.spec.calls.at(-1)!.ops.at(-1), { op: 'crop', box });
      const [, plainView] = episodeViews(episodeOf(sample, 'reasoning', { multiStep: false }));
      const [, zoomedView] = episodeViews(zoomed);
      assert.is.not(Buffer.compare(Buffer.from(plainView!.data), Buffer.from(zoomedView!.data)), 0, `${family} #${i}: the view did not change`);
    }
  }
});

test('other families, drawing tasks and zoom off: the construction is the flywheel\'s own', () => {
  for (const family of ['ray-cross', 'same-side', 'curve-value', 'ray-count', 'nearest-line']) {
    const sample = createSample({ family }, rng(7));
    assert.is(zoomBox(sample), null, family);
    assert.equal(episodeOf(sample, 'reasoning', { multiStep: false, zoom: true }).spec, episodeOf(sample, 'reasoning', { multiStep: false }).spec);
  }
  const chart = createSample({ family: 'bars-above' }, rng(7));
  assert.equal(episodeOf(chart, 'reasoning', { multiStep: false }).spec.calls[0]!.ops, chart.overlay);
  for (const kind of ['instruction', 'perception'] as const) {
    assert.ok(episodeOf(chart, kind, { zoom: true }).spec.calls[0]!.ops.every((op) => op.op !== 'crop'), kind);
  }
});

test.run();
