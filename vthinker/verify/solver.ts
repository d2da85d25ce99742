// The independent solver: parses the question text with the grammar and recomputes the answer from the scene's
// elements alone (labels, ticks, colours). It never sees the creator's answer or construction.
import type { Pt, Scene } from '../scene/types.ts';
import {
  angleBisectorDirection, cross, dist, footOfPerpendicular, lineIntersection, midpoint, orientation, pointInPolygon,
  pointLineDistance, projectionParameter, segmentIntersection, sub, add,
} from '../scene/geometry.ts';
import { labelsOf, parseQuestion, type ParsedQuestion } from '../knowledge/grammar.ts';
import type { ColorName } from '../scene/types.ts';
import { bars, curveAt, dots, pointByLabel, polylineByColor, readAxes } from './readscene.ts';

type Resolve = (label: string) => Pt;

/** Labels resolve to figure points, or to points the question's definitions construct. */
export function resolver(scene: Scene, parsed: ParsedQuestion): Resolve {
  const defined = new Map<string, Pt>();
  const resolve: Resolve = (l) => defined.get(l) ?? pointByLabel(scene, l);
  for (const d of parsed.definitions) {
    const [name, ...ins] = d.slots as [string, ...string[]];
    const p = ins.map(resolve);
    defined.set(name, d.kind === 'midpoint' ? midpoint(p[0]!, p[1]!) : footOfPerpendicular(p[0]!, p[1]!, p[2]!));
  }
  return resolve;
}

const yn = (b: boolean) => (b ? 'yes' : 'no');

/** Where line a->b meets segment c-d: parameters along each (null when parallel). */
function meet(a: Pt, b: Pt, c: Pt, d: Pt): { s: number; u: number } | null {
  const x = lineIntersection(a, b, c, d);
  return x ? { s: projectionParameter(x, a, b), u: projectionParameter(x, c, d) } : null;
}

const rayHits = (a: Pt, b: Pt, c: Pt, d: Pt): boolean => {
  const m = meet(a, b, c, d);
  return !!m && m.s > 0 && m.u > 0 && m.u < 1;
};

const nearest = (labels: string[], measure: (l: string) => number): string =>
  labels.reduce((best, l) => (measure(l) < measure(best) ? l : best));

export function solve(scene: Scene, question: string): string {
  const q = parseQuestion(question);
  const P = resolver(scene, q);
  const s = q.slots;
  const L = (i: number) => P(s[i]!);
  switch (q.template) {
    case 'ray-cross':
      return yn(rayHits(L(0), L(1), L(2), L(3)));
    case 'ray-count': {
      const [a, b] = [L(0), L(1)];
      const others = scene.elements.flatMap((e) => (e.kind === 'segment' && !(samePt(e.from, a) && samePt(e.to, b)) && !(samePt(e.from, b) && samePt(e.to, a)) ? [e] : []));
      return String(others.filter((e) => rayHits(a, b, e.from, e.to)).length);
    }
    case 'nearest-line':
      return nearest(labelsOf(s[0]!), (l) => pointLineDistance(P(l), L(1), L(2)));
    case 'foot-inside': {
      const foot = footOfPerpendicular(L(0), L(1), L(2));
      const t = projectionParameter(foot, L(3), L(4));
      return yn(t > 0 && t < 1);
    }
    case 'midpoint-nearest': {
      const m = midpoint(L(1), L(2));
      return nearest(labelsOf(s[0]!), (l) => dist(P(l), m));
    }
    case 'in-circle':
      return yn(dist(L(0), L(1)) < dist(L(2), L(1)));
    case 'parallel-cross': {
      const p = L(0);
      const m = meet(p, add(p, sub(L(2), L(1))), L(3), L(4));
      return yn(!!m && m.u > 0 && m.u < 1);
    }
    case 'bisector-side': {
      const v = L(3);
      const dir = angleBisectorDirection(L(2), v, L(4));
      return yn(Math.sign(cross(dir, sub(L(0), v))) === Math.sign(cross(dir, sub(L(1), v))));
    }
    case 'closer-endpoint':
      return dist(L(0), L(1)) < dist(L(0), L(2)) ? s[1]! : s[2]!;
    case 'median-cross': {
      const others = [s[1]!, s[2]!, s[3]!].filter((l) => l !== s[0]);
      if (others.length !== 2) throw new Error(`solver: ${s[0]} is not a vertex of triangle ${s[1]} ${s[2]} ${s[3]}`);
      const m = midpoint(P(others[0]!), P(others[1]!));
      return yn(segmentIntersection(L(0), m, L(4), L(5)) !== null);
    }
    case 'same-side':
      return yn(orientation(L(2), L(3), L(0)) === orientation(L(2), L(3), L(1)));
    case 'collinear':
      return yn(pointLineDistance(L(0), L(1), L(2)) < 1);
    case 'curve-compare': {
      const { x, y } = readAxes(scene);
      const col = xAxis(x).pixel(Number(s[0]));
      const f = curveAt(polylineByColor(scene, s[1] as ColorName), col), g = curveAt(polylineByColor(scene, s[2] as ColorName), col);
      if (f === null || g === null) throw new Error(`solver: a curve does not reach x ${s[0]}`);
      return yn(y.value(f) > y.value(g));
    }
    case 'curve-value': {
      const { x, y } = readAxes(scene);
      const row = curveAt(polylineByColor(scene, s[0] as ColorName), xAxis(x).pixel(Number(s[1])));
      if (row === null) throw new Error(`solver: the ${s[0]} curve does not reach x ${s[1]}`);
      return String(Math.round(y.value(row)));
    }
    case 'curve-crossings': {
      const { y } = readAxes(scene);
      const row = y.pixel(Number(s[1]));
      const pts = polylineByColor(scene, s[0] as ColorName);
      let count = 0;
      for (let i = 1; i < pts.length; i++) if (Math.sign(pts[i]![1] - row) !== Math.sign(pts[i - 1]![1] - row)) count++;
      return String(count);
    }
    case 'bars-above': {
      const { y } = readAxes(scene);
      return String([...bars(scene).values()].filter((r) => Math.round(y.value(r.at[1])) > Number(s[0])).length);
    }
    case 'bar-compare': {
      const b = bars(scene);
      const [x, z] = [b.get(s[0]!), b.get(s[1]!)];
      if (!x || !z) throw new Error(`solver: the chart has no bar ${!x ? s[0] : s[1]}`);
      return yn(x.h > z.h);
    }
    case 'dots-in-polygon': {
      const poly = labelsOf(s[0]!).map(P);
      return String(dots(scene).filter((d) => pointInPolygon(d, poly)).length);
    }
    case 'dots-in-circle': {
      const r = dist(L(0), L(1));
      return String(dots(scene).filter((d) => dist(d, L(0)) < r).length);
    }
    case 'box-count': {
      const box = scene.elements.find((e) => e.kind === 'rect' && e.color === 'grey' && !e.fill);
      if (!box || box.kind !== 'rect') throw new Error('solver: the figure has no grey box');
      return String(dots(scene).filter((d) => d[0] > box.at[0] && d[0] < box.at[0] + box.w && d[1] > box.at[1] && d[1] < box.at[1] + box.h).length);
    }
  }
}

const samePt = (a: Pt, b: Pt) => a[0] === b[0] && a[1] === b[1];

function xAxis<T>(x: T | null): T {
  if (!x) throw new Error('solver: the figure has no x axis ticks');
  return x;
}
