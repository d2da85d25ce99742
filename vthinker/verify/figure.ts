// The figure axis: is the original drawing legible? Everything inside the canvas, labels clear of each other, of
// lines and of other points, labelled points apart, nothing degenerate.
import type { Pt, Scene } from '../scene/types.ts';
import { dist, polygonArea } from '../scene/geometry.ts';
import { boxesOverlap, segmentHitsBox, textBoxes } from './labels.ts';
import type { Problem } from './score.ts';

export interface FigureOptions {
  /** Minimum distance between labelled points (scene units). */
  minSeparation: number;
  /** Minimum distance between unlabelled dots. */
  minDotSeparation: number;
  /** Shortest segment / smallest radius that still reads as a figure element. */
  minLength: number;
}

export const FIGURE_DEFAULTS: FigureOptions = { minSeparation: 9.5, minDotSeparation: 4.5, minLength: 4 };

/** Straight pieces a label must not sit on: segments, polyline and polygon edges, rect sides, circles (as 32-gons). */
function strokes(scene: Scene): Array<[Pt, Pt]> {
  const out: Array<[Pt, Pt]> = [];
  const chain = (pts: readonly Pt[], close: boolean) => {
    for (let i = 0; i + 1 < pts.length; i++) out.push([pts[i]!, pts[i + 1]!]);
    if (close && pts.length > 2) out.push([pts[pts.length - 1]!, pts[0]!]);
  };
  for (const el of scene.elements) {
    if (el.kind === 'segment') out.push([el.from, el.to]);
    else if (el.kind === 'polyline') chain(el.points, false);
    else if (el.kind === 'polygon') chain(el.points, true);
    else if (el.kind === 'rect') chain([el.at, [el.at[0] + el.w, el.at[1]], [el.at[0] + el.w, el.at[1] + el.h], [el.at[0], el.at[1] + el.h]], true);
    else if (el.kind === 'circle') {
      chain(Array.from({ length: 32 }, (_, i): Pt => [el.center[0] + el.r * Math.cos((i * Math.PI) / 16), el.center[1] + el.r * Math.sin((i * Math.PI) / 16)]), true);
    }
  }
  return out;
}

function insideCanvas(scene: Scene): Problem[] {
  const { width: w, height: h } = scene;
  const out = (p: Pt) => !(p[0] >= 0 && p[0] <= w && p[1] >= 0 && p[1] <= h);
  const problems: Problem[] = [];
  scene.elements.forEach((el, i) => {
    const pts: Pt[] =
      el.kind === 'point' || el.kind === 'text' ? [el.at]
      : el.kind === 'segment' ? [el.from, el.to]
      : el.kind === 'polyline' || el.kind === 'polygon' ? [...el.points]
      : el.kind === 'rect' ? [el.at, [el.at[0] + el.w, el.at[1] + el.h]]
      : [[el.center[0] - el.r, el.center[1] - el.r], [el.center[0] + el.r, el.center[1] + el.r]];
    if (pts.some(out)) problems.push({ code: 'off-canvas', message: `element ${i} (${el.kind}) leaves the ${w}x${h} canvas`, weight: 10 });
  });
  return problems;
}

function degenerate(scene: Scene, o: FigureOptions): Problem[] {
  const problems: Problem[] = [];
  const bad = (i: number, what: string) => problems.push({ code: 'degenerate', message: `element ${i}: ${what}`, weight: 10 });
  scene.elements.forEach((el, i) => {
    if (el.kind === 'segment' && dist(el.from, el.to) < o.minLength) bad(i, 'zero-length segment');
    if (el.kind === 'circle' && el.r < o.minLength) bad(i, `circle radius ${el.r} too small`);
    if (el.kind === 'rect' && (el.w < o.minLength || el.h < 1)) bad(i, 'rect too small');
    if (el.kind === 'polygon') {
      const pts = el.points;
      const longest = Math.max(...pts.map((p, k) => dist(p, pts[(k + 1) % pts.length]!)));
      // Area relative to the squared size: a flat polygon (collinear triangle) has almost none.
      if (pts.length < 3 || Math.abs(polygonArea(pts)) < 0.05 * longest * longest) bad(i, 'collinear or flat polygon');
    }
  });
  return problems;
}

function separations(scene: Scene, o: FigureOptions): Problem[] {
  const problems: Problem[] = [];
  const pts = scene.elements.flatMap((e) => (e.kind === 'point' ? [e] : []));
  for (let i = 0; i < pts.length; i++) {
    for (let j = i + 1; j < pts.length; j++) {
      const a = pts[i]!, b = pts[j]!;
      const min = a.label || b.label ? o.minSeparation : o.minDotSeparation;
      if (dist(a.at, b.at) < min) problems.push({ code: 'too-close', message: `points ${a.id} and ${b.id} are ${dist(a.at, b.at).toFixed(1)} apart (min ${min})`, weight: 4 });
    }
  }
  return problems;
}

function labelClearance(scene: Scene): Problem[] {
  const problems: Problem[] = [];
  const boxes = textBoxes(scene);
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      if (boxesOverlap(boxes[i]!, boxes[j]!)) problems.push({ code: 'label-overlap', message: `labels ${boxes[i]!.owner} and ${boxes[j]!.owner} overlap`, weight: 4 });
    }
  }
  const lines = strokes(scene);
  const points = scene.elements.flatMap((e) => (e.kind === 'point' ? [e] : []));
  for (const box of boxes) {
    if (lines.some(([p, q]) => segmentHitsBox(p, q, box))) problems.push({ code: 'label-on-line', message: `label ${box.owner} sits on a line`, weight: 3 });
    const covered = points.find((p) => p.at !== box.anchor && p.at[0] > box.x0 - 2 && p.at[0] < box.x1 + 2 && p.at[1] > box.y0 - 2 && p.at[1] < box.y1 + 2);
    if (covered) problems.push({ code: 'label-on-point', message: `label ${box.owner} covers point ${covered.id}`, weight: 3 });
  }
  return problems;
}

/** All figure problems (empty for a clean figure). */
export function figureProblems(scene: Scene, opts: Partial<FigureOptions> = {}): Problem[] {
  const o = { ...FIGURE_DEFAULTS, ...opts };
  return [...insideCanvas(scene), ...degenerate(scene, o), ...separations(scene, o), ...labelClearance(scene)];
}
