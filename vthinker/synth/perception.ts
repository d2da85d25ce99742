// V-Perception analogue: figures with N(8, 4) elements (clipped to [3, 16]) and point-level questions at three
// levels: surface (named points), semantic (structural points, no labels in the question), integrated (perception
// plus computation). Answers are pixel coordinates, as a dict and in the paper's text form {'P1': (x, y)}.
import type { ColorName, DrawOp, Pt, Scene, SceneElement } from '../scene/types.ts';
import { centroid, footOfPerpendicular, incenter, lineIntersection, midpoint, polygonArea, insideCanvas } from '../scene/geometry.ts';
import type { Rng } from '../util/random.ts';
import { figureProblems } from '../verify/figure.ts';
import { labelled, pair, pickLabels, placePoint, pointAtDistance, segment } from './layout.ts';

export type PerceptionLevel = 'surface' | 'semantic' | 'integrated';
export const PERCEPTION_LEVELS: readonly PerceptionLevel[] = ['surface', 'semantic', 'integrated'];

export interface PerceptionSample {
  id: string;
  seed: number;
  level: PerceptionLevel;
  scene: Scene;
  elementCount: number;
  question: string;
  targets: Record<string, [number, number]>;
  /** The answer in the paper's text form, e.g. {'P1': (100, 260)}. */
  answerText: string;
  /** The ground-truth annotation: the targets marked (what a correct "mark the point" edit draws). */
  overlay: DrawOp[];
}

export interface PerceptionOptions {
  level?: PerceptionLevel;
  width?: number;
  maxAttempts?: number;
}

const SHAPE_COLORS: readonly ColorName[] = ['red', 'blue', 'green', 'orange', 'purple', 'teal'];

/** What a figure offers to ask about. */
interface Figure {
  elements: SceneElement[];
  labels: Map<string, Pt>;
  segments: Array<[string, string]>;
  triangles: Array<{ labels?: string[]; pts: Pt[]; color: ColorName }>;
  circles: Array<{ center: Pt; color: ColorName }>;
  boxes: Array<{ at: Pt; color: ColorName }>;
}

export const answerText = (targets: Record<string, [number, number]>): string =>
  `{${Object.entries(targets).map(([k, [x, y]]) => `'${k}': (${x}, ${y})`).join(', ')}}`;

/** Elements ~ N(8, 4) rounded and clipped to [3, 16]. */
export const elementBudget = (rng: Rng): number => Math.min(16, Math.max(3, Math.round(rng.normal(8, 4))));

function buildFigure(rng: Rng, width: number, budget: number): Figure | null {
  const fig: Figure = { elements: [], labels: new Map(), segments: [], triangles: [], circles: [], boxes: [] };
  const letters = pickLabels(rng, 8);
  const taken: Pt[] = [];
  const colors = rng.shuffle(SHAPE_COLORS);
  const nextLabel = () => letters[fig.labels.size];
  const addPoint = (p: Pt) => {
    const l = nextLabel()!;
    fig.labels.set(l, p);
    fig.elements.push(labelled(l, p));
    taken.push(p);
    return l;
  };
  for (let guard = 0; fig.elements.length < budget && guard < 40; guard++) {
    const room = budget - fig.elements.length;
    const kind = rng.pick(['point', 'segment', 'triangle', 'circle', 'box'] as const);
    if (kind === 'point' && fig.labels.size < 8) {
      const p = placePoint(rng, width, width, taken);
      if (p) addPoint(p);
    } else if (kind === 'segment' && room >= 3 && fig.labels.size <= 6) {
      const a = placePoint(rng, width, width, taken);
      const b = a && pointAtDistance(rng, a, rng.int(25, 50), width, width);
      if (a && b && taken.every((q) => Math.hypot(q[0] - b[0], q[1] - b[1]) >= 10)) {
        fig.elements.push(segment(a, b));
        fig.segments.push([addPoint(a), addPoint(b)]);
      }
    } else if (kind === 'triangle' && room >= 1 && colors.length) {
      const c = placePoint(rng, width, width, taken, undefined, { margin: 30 });
      if (!c) continue;
      const pts: Pt[] = [0, 1, 2].map((i) => {
        const a = rng.uniform(0, 2 * Math.PI / 3) + (i * 2 * Math.PI) / 3;
        const r = rng.int(16, 26);
        return [Math.round(c[0] + r * Math.cos(a)), Math.round(c[1] + r * Math.sin(a))];
      });
      if (Math.abs(polygonArea(pts)) < 150 || !pts.every((p) => insideCanvas(p, width - 6, width - 6) && p[0] > 6 && p[1] > 6)) continue;
      const color = colors.pop()!;
      // Labelled triangles (room for 3 points) support integrated questions; bare ones semantic questions.
      if (room >= 4 && fig.labels.size <= 5 && rng.bool()) {
        fig.elements.push({ kind: 'polygon', points: pts, color });
        fig.triangles.push({ labels: pts.map(addPoint), pts, color });
      } else {
        fig.elements.push({ kind: 'polygon', points: pts, color });
        fig.triangles.push({ pts, color });
        taken.push(...pts);
      }
    } else if (kind === 'circle' && colors.length) {
      const c = placePoint(rng, width, width, taken, undefined, { margin: 30 });
      if (!c) continue;
      const color = colors.pop()!;
      fig.elements.push({ kind: 'circle', center: c, r: rng.int(12, 22), color });
      fig.circles.push({ center: c, color });
      taken.push(c);
    } else if (kind === 'box' && colors.length) {
      const at = placePoint(rng, width, width, taken, undefined, { margin: 10 });
      if (!at || at[0] + 24 > width - 4 || at[1] + 18 > width - 4) continue;
      const color = colors.pop()!;
      fig.elements.push({ kind: 'rect', at, w: rng.int(14, 24), h: rng.int(10, 18), color });
      fig.boxes.push({ at, color });
      taken.push(at);
    }
  }
  return fig.elements.length >= 3 ? fig : null;
}

type Question = { question: string; targets: Record<string, [number, number]> } | null;

function surface(rng: Rng, fig: Figure): Question {
  const names = rng.shuffle([...fig.labels.keys()]).slice(0, rng.int(1, 2));
  if (!names.length) return null;
  return { question: `locate ${names.join(' and ')}`, targets: Object.fromEntries(names.map((n, i) => [`P${i + 1}`, pair(fig.labels.get(n)!)])) };
}

function semantic(rng: Rng, fig: Figure): Question {
  const options: Array<() => Question> = [];
  for (const c of fig.circles) options.push(() => ({ question: `locate the centre of the ${c.color} circle`, targets: { P1: pair(c.center) } }));
  for (const b of fig.boxes) options.push(() => ({ question: `locate the top left corner of the ${b.color} box`, targets: { P1: pair(b.at) } }));
  for (const t of fig.triangles) {
    const top = [...t.pts].sort((p, q) => p[1] - q[1]);
    const left = [...t.pts].sort((p, q) => p[0] - q[0]);
    // Only ask for an extreme vertex when it is clearly the extreme one (4 units ahead of the next).
    if (top[1]![1] - top[0]![1] >= 4) options.push(() => ({ question: `locate the top vertex of the ${t.color} triangle`, targets: { P1: pair(top[0]!) } }));
    if (left[1]![0] - left[0]![0] >= 4) options.push(() => ({ question: `locate the leftmost vertex of the ${t.color} triangle`, targets: { P1: pair(left[0]!) } }));
  }
  const pts = [...fig.labels.values()].sort((p, q) => p[1] - q[1]);
  if (pts.length >= 2 && pts[1]![1] - pts[0]![1] >= 4) options.push(() => ({ question: 'locate the highest point', targets: { P1: pair(pts[0]!) } }));
  if (pts.length >= 2 && pts[pts.length - 1]![1] - pts[pts.length - 2]![1] >= 4) options.push(() => ({ question: 'locate the lowest point', targets: { P1: pair(pts[pts.length - 1]!) } }));
  return options.length ? rng.pick(options)() : null;
}

function integrated(rng: Rng, fig: Figure, width: number): Question {
  const options: Array<() => Question> = [];
  const P = (l: string) => fig.labels.get(l)!;
  for (const [a, b] of fig.segments) {
    options.push(() => ({ question: `locate the midpoint of ${a} ${b}`, targets: { P1: pair(midpoint(P(a), P(b))) } }));
    for (const p of fig.labels.keys()) {
      if (p === a || p === b) continue;
      const f = footOfPerpendicular(P(p), P(a), P(b));
      if (insideCanvas(f, width, width)) options.push(() => ({ question: `locate the foot from ${p} to line ${a} ${b}`, targets: { P1: pair(f) } }));
    }
  }
  for (const t of fig.triangles) {
    if (!t.labels) continue;
    const [a, b, c] = t.labels as [string, string, string];
    options.push(() => ({ question: `locate the centroid of triangle ${a} ${b} ${c}`, targets: { P1: pair(centroid(t.pts)) } }));
    const i = incenter(t.pts[0]!, t.pts[1]!, t.pts[2]!);
    if (i) options.push(() => ({ question: `locate the incenter of triangle ${a} ${b} ${c}`, targets: { P1: pair(i) } }));
  }
  if (fig.segments.length >= 2) {
    const [[a, b], [c, d]] = fig.segments as [[string, string], [string, string]];
    const x = lineIntersection(P(a), P(b), P(c), P(d));
    if (x && insideCanvas(x, width, width)) options.push(() => ({ question: `locate the crossing of line ${a} ${b} and line ${c} ${d}`, targets: { P1: pair(x) } }));
  }
  return options.length ? rng.pick(options)() : null;
}

export function createPerceptionSample(rng: Rng, opts: PerceptionOptions = {}): PerceptionSample {
  const width = opts.width ?? 128;
  const level = opts.level ?? rng.fork('level').pick(PERCEPTION_LEVELS);
  if (!PERCEPTION_LEVELS.includes(level)) throw new Error(`perception: unknown level "${level}" (surface, semantic, integrated)`);
  const budget = elementBudget(rng.fork('budget'));
  for (let attempt = 0; attempt < (opts.maxAttempts ?? 300); attempt++) {
    const r = rng.fork(`attempt ${attempt}`);
    const fig = buildFigure(r, width, budget);
    if (!fig) continue;
    const scene: Scene = { width, height: width, elements: fig.elements };
    if (figureProblems(scene).length) continue;
    const q = level === 'surface' ? surface(r, fig) : level === 'semantic' ? semantic(r, fig) : integrated(r, fig, width);
    if (!q) continue;
    return {
      id: `perception-${level}-${rng.seed.toString(16).padStart(8, '0')}`, seed: rng.seed, level, scene, elementCount: fig.elements.length,
      question: q.question, targets: q.targets, answerText: answerText(q.targets),
      overlay: Object.values(q.targets).map((at): DrawOp => ({ op: 'point', at })),
    };
  }
  throw new Error(`perception: no ${level} figure with ${budget} elements in the attempts`);
}
