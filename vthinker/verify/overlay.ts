// The overlay axis: every construction step does what its instruction claims (checked numerically against the
// figure's own points, axes and bars), changes the picture, and is used by the solution.
import type { DrawOp, Pt, Scene } from '../scene/types.ts';
import { angleAt, dist, dot, footOfPerpendicular, midpoint, norm, pointLineDistance, rayToCanvasEdge, sub } from '../scene/geometry.ts';
import { labelsOf, matchTemplate, parseQuestion } from '../knowledge/grammar.ts';
import { TOOLS, type ToolName } from '../knowledge/tools.ts';
import { renderScene } from '../scene/render.ts';
import type { Sample } from '../synth/types.ts';
import { bars, readAxes } from './readscene.ts';
import { resolver } from './solver.ts';
import type { Problem } from './score.ts';

export interface OverlayOptions {
  /** Distance tolerance in scene units (coordinates are integers in the drawing language). */
  tolerance: number;
  /** Angle tolerance in degrees. */
  angleTolerance: number;
  /** Pixels (at the scene's native size) a step must change to count as visible. */
  minChangedPixels: number;
  /** Skip the render-and-diff check (pure geometry only; for fast bulk runs). */
  skipRender: boolean;
}

export const OVERLAY_DEFAULTS: OverlayOptions = { tolerance: 1.6, angleTolerance: 4, minChangedPixels: 12, skipRender: false };

type Check = (ops: readonly DrawOp[], words: string[], ctx: StepContext) => string | null;

interface StepContext {
  scene: Scene;
  P: (label: string) => Pt;
  o: OverlayOptions;
}

const lines = (ops: readonly DrawOp[]) => ops.flatMap((op) => (op.op === 'line' ? [op] : []));
const rays = (ops: readonly DrawOp[]) => ops.flatMap((op) => (op.op === 'ray' ? [op] : []));
const points = (ops: readonly DrawOp[]) => ops.flatMap((op) => (op.op === 'point' ? [op.at] : []));
const degrees = (r: number) => (r * 180) / Math.PI;
/** Angle between two directions, ignoring orientation, in degrees. */
const lineAngle = (u: Pt, v: Pt) => degrees(Math.acos(Math.min(1, Math.abs(dot(u, v)) / (norm(u) * norm(v) || 1))));

function onLine(p: Pt, a: Pt, b: Pt, tol: number): boolean {
  return pointLineDistance(p, a, b) <= tol;
}

/** A line op lying along the line a-b (both ends within tolerance). */
function lineAlong(ops: readonly DrawOp[], a: Pt, b: Pt, tol: number): boolean {
  return lines(ops).some((l) => onLine(l.from, a, b, tol) && onLine(l.to, a, b, tol) && dist(l.from, l.to) > dist(a, b));
}

function axisPixel(scene: Scene, axis: 'x' | 'y', value: number): number {
  const axes = readAxes(scene);
  const map = axis === 'x' ? axes.x : axes.y;
  if (!map) throw new Error('the figure has no x axis');
  return map.pixel(value);
}

const CHECKS: Record<ToolName, Check> = {
  connect: (ops, [a, b], { P, o }) => (lines(ops).some((l) => dist(l.from, P(a!)) <= o.tolerance && dist(l.to, P(b!)) <= o.tolerance) ? null : `no segment from ${a} to ${b}`),
  extend: (ops, [a, b], { P, o }) => {
    const ok = rays(ops).some((r) => dist(r.from, P(a!)) <= o.tolerance && onLine(r.through, P(a!), P(b!), o.tolerance) && dot(sub(r.through, r.from), sub(P(b!), P(a!))) > 0);
    return ok ? null : `no ray from ${a} through ${b}`;
  },
  'full-line': (ops, [a, b], { P, o }) => (lineAlong(ops, P(a!), P(b!), o.tolerance) ? null : `no line along ${a} ${b}`),
  perpendicular: (ops, [p, a, b], { P, o }) => {
    const foot = footOfPerpendicular(P(p!), P(a!), P(b!));
    const seg = lines(ops).find((l) => dist(l.from, P(p!)) <= o.tolerance);
    if (!seg) return `no segment from ${p}`;
    if (dist(seg.to, foot) > o.tolerance) return `the segment from ${p} does not end at the foot on line ${a} ${b}`;
    if (dist(P(p!), foot) > 3 && Math.abs(90 - lineAngle(sub(seg.to, seg.from), sub(P(b!), P(a!)))) > o.angleTolerance) return 'the segment is not perpendicular';
    return points(ops).some((q) => dist(q, foot) <= o.tolerance) ? null : 'the foot is not marked';
  },
  midpoint: (ops, [a, b], { P, o }) => (points(ops).some((q) => dist(q, midpoint(P(a!), P(b!))) <= o.tolerance) ? null : `no point at the midpoint of ${a} ${b}`),
  parallel: (ops, [p, a, b], { P, o }) => {
    const ok = lines(ops).some((l) => onLine(P(p!), l.from, l.to, o.tolerance) && lineAngle(sub(l.to, l.from), sub(P(b!), P(a!))) <= o.angleTolerance);
    return ok ? null : `no line through ${p} parallel to ${a} ${b}`;
  },
  bisector: (ops, [a, v, c], { P, o }) => {
    const ok = rays(ops).some((r) => dist(r.from, P(v!)) <= o.tolerance && Math.abs(degrees(angleAt(P(a!), P(v!), r.through) - angleAt(P(c!), P(v!), r.through))) <= o.angleTolerance && degrees(angleAt(P(a!), P(v!), r.through)) < 90);
    return ok ? null : `no ray bisecting angle ${a} ${v} ${c}`;
  },
  'circle-through': (ops, [c, a], { P, o }) => {
    const ok = ops.some((op) => op.op === 'circle' && dist(op.center, P(c!)) <= o.tolerance && Math.abs(op.r - dist(P(c!), P(a!))) <= o.tolerance);
    return ok ? null : `no circle with centre ${c} through ${a}`;
  },
  'perpendicular-bisector': (ops, [a, b], { P, o }) => {
    const ok = lines(ops).some((l) => Math.abs(dist(l.from, P(a!)) - dist(l.from, P(b!))) <= 2 * o.tolerance && Math.abs(dist(l.to, P(a!)) - dist(l.to, P(b!))) <= 2 * o.tolerance && dist(l.from, l.to) > dist(P(a!), P(b!)) / 2);
    return ok ? null : `no perpendicular bisector of ${a} ${b}`;
  },
  median: (ops, [v, x, y, z], { P, o }) => {
    const others = [x!, y!, z!].filter((l) => l !== v);
    if (others.length !== 2) return `${v} is not a vertex of triangle ${x} ${y} ${z}`;
    const m = midpoint(P(others[0]!), P(others[1]!));
    const ok = lines(ops).some((l) => dist(l.from, P(v!)) <= o.tolerance && dist(l.to, m) <= o.tolerance);
    return ok ? null : `no segment from ${v} to the midpoint of ${others.join(' ')}`;
  },
  'mark-point': (ops, [p], { P, o }) => (points(ops).some((q) => dist(q, P(p!)) <= o.tolerance) ? null : `${p} is not marked`),
  shade: (ops, [list], { P, o }) => {
    const want = labelsOf(list!).map(P);
    const ok = ops.some((op) => op.op === 'polygon' && op.points.length === want.length && op.points.every((q, i) => dist(q, want[i]!) <= o.tolerance));
    return ok ? null : `no shaded polygon ${list}`;
  },
  crop: (ops, _, { scene }) => {
    const box = scene.elements.find((e) => e.kind === 'rect' && e.color === 'grey' && !e.fill);
    const crop = ops.find((op) => op.op === 'crop');
    if (!box || box.kind !== 'rect' || !crop || crop.op !== 'crop') return 'no crop of the grey box';
    const [x0, y0, x1, y1] = crop.box;
    const covers = x0 <= box.at[0] && y0 <= box.at[1] && x1 >= box.at[0] + box.w && y1 >= box.at[1] + box.h;
    // A zoom must also magnify: the box may be at most twice the grey box's side.
    return covers && x1 - x0 <= 2 * box.w + 4 ? null : 'the crop does not frame the grey box';
  },
  'horizontal-line': (ops, [n], { scene, o }) => {
    const y = axisPixel(scene, 'y', Number(n));
    return lines(ops).some((l) => Math.abs(l.from[1] - y) <= o.tolerance && Math.abs(l.to[1] - y) <= o.tolerance) ? null : `no horizontal line at y ${n}`;
  },
  'vertical-line': (ops, [n], { scene, o }) => {
    const x = axisPixel(scene, 'x', Number(n));
    return lines(ops).some((l) => Math.abs(l.from[0] - x) <= o.tolerance && Math.abs(l.to[0] - x) <= o.tolerance) ? null : `no vertical line at x ${n}`;
  },
  'bar-top-line': (ops, [b], { scene, o }) => {
    const bar = bars(scene).get(b!);
    if (!bar) return `the chart has no bar ${b}`;
    return lines(ops).some((l) => Math.abs(l.from[1] - bar.at[1]) <= o.tolerance && Math.abs(l.to[1] - bar.at[1]) <= o.tolerance) ? null : `no line at the top of bar ${b}`;
  },
};

function changedPixels(a: Uint8ClampedArray, b: Uint8ClampedArray): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 4) if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) n++;
  return n;
}

/** Every overlay problem of a sample (empty when the construction is right, visible and used). */
export function overlayProblems(sample: Sample, opts: Partial<OverlayOptions> = {}): Problem[] {
  const o = { ...OVERLAY_DEFAULTS, ...opts };
  const problems: Problem[] = [];
  const add = (code: string, message: string, weight: number) => problems.push({ code, message, weight });
  if (!sample.steps.length) return [{ code: 'no-construction', message: 'the sample has no construction step', weight: 10 }];
  const flat = sample.steps.flatMap((s) => s.ops);
  if (JSON.stringify(flat) !== JSON.stringify(sample.overlay)) add('overlay-mismatch', 'overlay is not the concatenation of the steps', 10);
  let P: (l: string) => Pt;
  try {
    P = resolver(sample.scene, parseQuestion(sample.question));
  } catch (e) {
    return [{ code: 'unreadable', message: (e as Error).message, weight: 10 }];
  }
  const qTokens = new Set(sample.question.split(' '));
  sample.steps.forEach((step, i) => {
    const tool = TOOLS[step.tool as ToolName];
    if (!tool) return add('unknown-tool', `step ${i + 1}: unknown tool "${step.tool}"`, 10);
    const words = matchTemplate(tool.instruction, step.note.split(' '));
    if (!words) return add('bad-note', `step ${i + 1}: "${step.note}" is not a ${step.tool} instruction`, 10);
    let why: string | null;
    try {
      why = CHECKS[step.tool as ToolName](step.ops, words, { scene: sample.scene, P, o });
    } catch (e) {
      why = (e as Error).message;
    }
    if (why) add('wrong-construction', `step ${i + 1} (${step.tool}): ${why}`, 10);
    // The construction is about the question's objects and the solution walks through it.
    const foreign = words.flatMap(labelsOf).filter((w) => /^[A-Z]$/.test(w) && !qTokens.has(w));
    if (foreign.length) add('unrelated-construction', `step ${i + 1} names ${foreign.join(' ')}, which the question never mentions`, 4);
    if (!sample.solution.includes(step.note)) add('unused-construction', `the solution does not use step ${i + 1} ("${step.note}")`, 4);
  });
  if (!o.skipRender) {
    const size = { size: sample.scene.width };
    let before = renderScene(sample.scene, [], size).data;
    const soFar: DrawOp[] = [];
    sample.steps.forEach((step, i) => {
      soFar.push(...step.ops);
      const after = renderScene(sample.scene, soFar, size).data;
      const n = changedPixels(before, after);
      if (n < o.minChangedPixels) add('invisible-construction', `step ${i + 1} changes only ${n} pixels`, 6);
      before = after;
    });
  }
  // A ray's far end must be on the canvas for the drawing to mean anything.
  for (const op of rays(flat)) {
    const end = rayToCanvasEdge(op.from, op.through, sample.scene.width, sample.scene.height);
    if (dist(end, op.from) < 2) add('degenerate-construction', 'a ray leaves the canvas at once', 6);
  }
  return problems;
}
