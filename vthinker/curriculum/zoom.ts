// Zooming in, the paper's own interaction, for the chart families' reasoning constructions. The policy sees every
// image at 64 px, half the canvas's 128, so a chart's thin curves, bar tops and dots are a pixel or two across; a
// gold construction that ends with a `crop` (the drawing language's zoom: the box becomes the whole view) shows the
// reader what the question turns on at 2-4x the size:
//   bars-above, curve-crossings  a 32-unit strip around the horizontal line, over the plot's width
//   bar-compare                  the same strip, over the two named bars only
//   curve-compare                a square around the vertical line where the two named curves meet it
//   dots-in-circle               the circle's bounding square (plus a margin)
//   dots-in-polygon              the polygon's bounding square (plus a margin)
// Only reasoning trajectories zoom (EpisodeOptions.zoom): a drawing task's result is judged by what changed in the
// full figure, which a crop replaces. Every box is derived from the construction itself and from what the figure
// shows (the line's height, the circle, the polygon, the named bars' letters, the named curves where the line meets
// them), so a policy can learn to write it from the same things it reads.
import type { DrawOp, Pt, SceneElement } from '../scene/types.ts';
import type { Sample } from '../synth/types.ts';

export type Box = [x0: number, y0: number, x1: number, y1: number];

/** Half the height of a strip around a horizontal line, in scene units: 32 of 128 is a 4x zoom. */
const STRIP_HALF = 16;
/** Room around what a box must show (bars, curves, a circle, a polygon), in scene units. */
const MARGIN = 8;
/** The plot's x range in the chart layouts (axes from 18 to 120), with room for a bar's half width. */
const PLOT_X: readonly [number, number] = [16, 124];

/** The box moved (not shrunk) to lie on the canvas, cut to it only when larger; corners rounded. */
export function fitBox([x0, y0, x1, y1]: Box, width: number, height: number): Box {
  const shift = (lo: number, hi: number, max: number) => (lo < 0 ? -lo : hi > max ? max - hi : 0);
  const dx = shift(x0, x1, width), dy = shift(y0, y1, height);
  const clamp = (v: number, max: number) => Math.min(max, Math.max(0, Math.round(v)));
  return [clamp(x0 + dx, width), clamp(y0 + dy, height), clamp(x1 + dx, width), clamp(y1 + dy, height)];
}

/** The square with the box's centre, as large as its longer side (a circle or polygon keeps its shape). */
export function squareAround([x0, y0, x1, y1]: Box): Box {
  const half = Math.max(x1 - x0, y1 - y0) / 2, cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  return [cx - half, cy - half, cx + half, cy + half];
}

/** The y of a polyline at x (linear between its vertices); null outside its x range. */
export function polylineAt(points: readonly Pt[], x: number): number | null {
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!, b = points[i]!;
    if (x < Math.min(a[0], b[0]) || x > Math.max(a[0], b[0])) continue;
    return a[0] === b[0] ? a[1] : a[1] + ((x - a[0]) * (b[1] - a[1])) / (b[0] - a[0]);
  }
  return null;
}

/** The single capital letters of the question proper (after any `let ... ;` definitions), in order. */
export const questionLabels = (question: string): string[] => (question.split(';').at(-1) ?? '').split(' ').filter((w) => /^[A-Z]$/.test(w));

/** The x of the bar named `label`: the centre of the ink letter under it. */
function barX(elements: readonly SceneElement[], label: string): number | null {
  const text = elements.find((e) => e.kind === 'text' && e.text === label && e.color === 'ink');
  return text?.kind === 'text' ? text.at[0] : null;
}

/** Where the curve of colour `color` meets the vertical line at x. */
function curveAt(elements: readonly SceneElement[], color: string, x: number): number | null {
  const curve = elements.find((e) => e.kind === 'polyline' && e.color === color);
  return curve?.kind === 'polyline' ? polylineAt(curve.points, x) : null;
}

const bounds = (points: readonly Pt[], margin: number): Box => {
  const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
  return [Math.min(...xs) - margin, Math.min(...ys) - margin, Math.max(...xs) + margin, Math.max(...ys) + margin];
};

/** The unfitted zoom box of a chart-family sample, from its last construction op and its scene; null for others. */
function rawZoomBox(sample: Sample): Box | null {
  const op: DrawOp | undefined = sample.steps.at(-1)?.ops.at(-1);
  const { elements } = sample.scene;
  const question = sample.question.split(';').at(-1) ?? '';
  if (!op) return null;
  switch (sample.family) {
    case 'bars-above':
    case 'curve-crossings':
      return op.op === 'line' ? [PLOT_X[0], op.from[1] - STRIP_HALF, PLOT_X[1], op.from[1] + STRIP_HALF] : null;
    case 'bar-compare': {
      const xs = questionLabels(question).map((l) => barX(elements, l));
      if (op.op !== 'line' || xs.length !== 2 || xs.some((x) => x === null)) return null;
      const [a, b] = xs as [number, number];
      return [Math.min(a, b) - MARGIN, op.from[1] - STRIP_HALF, Math.max(a, b) + MARGIN, op.from[1] + STRIP_HALF];
    }
    case 'curve-compare': {
      if (op.op !== 'line') return null;
      const words = question.split(' ');
      const ys = words.filter((_, i) => words[i + 1] === 'curve').map((c) => curveAt(elements, c, op.from[0]));
      if (ys.length !== 2 || ys.some((y) => y === null)) return null;
      const [lo, hi] = [Math.min(...(ys as number[])), Math.max(...(ys as number[]))];
      return squareAround([op.from[0] - STRIP_HALF, lo - MARGIN, op.from[0] + STRIP_HALF, hi + MARGIN]);
    }
    case 'dots-in-circle':
      return op.op === 'circle' ? squareAround(bounds([op.center], op.r + MARGIN)) : null;
    case 'dots-in-polygon':
      return op.op === 'polygon' ? squareAround(bounds(op.points, MARGIN)) : null;
    default:
      return null;
  }
}

/** The zoom that ends a chart family's reasoning construction, on the canvas; null for the other families. */
export function zoomBox(sample: Sample): Box | null {
  const box = rawZoomBox(sample);
  return box && fitBox(box, sample.scene.width, sample.scene.height);
}

/** The construction's ops with the family's zoom appended (unchanged for families that do not zoom). */
export function withZoom(sample: Sample, ops: readonly DrawOp[]): DrawOp[] {
  const box = zoomBox(sample);
  return box ? [...ops, { op: 'crop', box }] : [...ops];
}
