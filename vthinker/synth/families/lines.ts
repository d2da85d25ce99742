// Families about lines and rays: extend a segment, draw a whole line or a parallel, and read what it crosses.
import type { Pt, SceneElement } from '../../scene/types.ts';
import { dist, lineIntersection, projectionParameter, pointLineDistance, sub, add, scale, normalize, insideCanvas } from '../../scene/geometry.ts';
import { applyTool } from '../../knowledge/tools.ts';
import type { Rng } from '../../util/random.ts';
import type { Built, BuildContext, Family } from '../types.ts';
import { labelled, pair, pickLabels, placePoint, pointAtDistance, segment, yesNo } from '../layout.ts';

/** Where the line a->b meets the line c->d: parameter s along a->b and u along c->d (null when parallel). */
export function crossing(a: Pt, b: Pt, c: Pt, d: Pt): { at: Pt; s: number; u: number } | null {
  const at = lineIntersection(a, b, c, d);
  return at ? { at, s: projectionParameter(at, a, b), u: projectionParameter(at, c, d) } : null;
}

/** Crossing well inside segment c-d (clear yes), clearly outside (clear no), or too close to call (null). */
const inSegment = (u: number): boolean | null => (u > 0.15 && u < 0.85 ? true : u < -0.3 || u > 1.3 ? false : null);

/** A segment CD of length 25..50 placed away from the given points. */
function randomSegment(rng: Rng, ctx: BuildContext, avoid: readonly Pt[]): [Pt, Pt] | null {
  const c = placePoint(rng, ctx.width, ctx.height, avoid);
  if (!c) return null;
  const d = pointAtDistance(rng, c, rng.int(25, 50), ctx.width, ctx.height);
  if (!d || avoid.some((q) => dist(q, d) < 10)) return null;
  return [c, d];
}

function locateCrossing(a: Pt, b: Pt, c: Pt, d: Pt, words: string[], ctx: BuildContext): Built['perception'] {
  const x = lineIntersection(a, b, c, d);
  if (x && insideCanvas(x, ctx.width, ctx.height)) {
    return { question: `locate the crossing of line ${words[0]} ${words[1]} and line ${words[2]} ${words[3]}`, targets: { P1: pair(x) } };
  }
  return { question: `locate ${words[0]}`, targets: { P1: pair(a) } };
}

export const rayCross: Family = {
  id: 'ray-cross', domain: 'Geometry', tools: ['extend'], answers: ['yes', 'no'],
  describe: ([a, b, c, d], ans) => { const v = ans === 'yes' ? 'crosses' : 'misses'; return { after: `ray ${v} segment ${c} ${d}`, reading: [`ray ${a} ${b} ${v} segment ${c} ${d}`] }; },
  build(rng, ctx) {
    const [la, lb, lc, ld] = pickLabels(rng, 4) as [string, string, string, string];
    const a = placePoint(rng, ctx.width, ctx.height, []);
    const b = a && pointAtDistance(rng, a, rng.int(22, 40), ctx.width, ctx.height);
    const cd = a && b && randomSegment(rng, ctx, [a, b]);
    if (!a || !b || !cd) return null;
    const [c, d] = cd;
    const x = crossing(a, b, c, d);
    const hit = x ? inSegment(x.u) : false;
    // A crossing must lie well beyond B (past the drawn segment); one behind A is a fine "no".
    const crosses = x && hit === true ? (x.s > 1.3 ? true : x.s < -0.3 ? false : null) : hit;
    if (crosses === null || yesNo(crosses) !== ctx.target) return null;
    const scene = { width: ctx.width, height: ctx.height, elements: [segment(a, b), segment(c, d), labelled(la, a), labelled(lb, b), labelled(lc, c), labelled(ld, d)] };
    return {
      scene, slots: [la, lb, lc, ld], steps: [applyTool('extend', { pts: [a, b], words: [la, lb], ...ctx })],
      answer: ctx.target,
      perception: locateCrossing(a, b, c, d, [la, lb, lc, ld], ctx),
    };
  },
};

export const rayCount: Family = {
  id: 'ray-count', domain: 'Logic', tools: ['extend'], answers: ['0', '1', '2', '3'],
  describe: (_, ans) => ({ after: `ray crosses ${ans} segment`, reading: [`count ${ans}`] }),
  build(rng, ctx) {
    const [la, lb] = pickLabels(rng, 2) as [string, string];
    const a = placePoint(rng, ctx.width, ctx.height, []);
    const b = a && pointAtDistance(rng, a, rng.int(20, 30), ctx.width, ctx.height);
    if (!a || !b) return null;
    const want = Number(ctx.target);
    const segs: Array<[Pt, Pt]> = [];
    const used: Pt[] = [a, b];
    for (let i = 0; i < 4; i++) {
      const shouldCross = i < want;
      let placed: [Pt, Pt] | null = null;
      for (let t = 0; t < 60 && !placed; t++) {
        const cd = randomSegment(rng, ctx, used);
        if (!cd) continue;
        const x = crossing(a, b, cd[0], cd[1]);
        const hit = x ? inSegment(x.u) : false;
        const crosses = x && hit === true ? (x.s > 1.3 ? true : x.s < -0.3 ? false : null) : hit;
        // Segments never cross each other, so each crossing of the ray is a separate, countable event.
        const clear = segs.every(([p, q]) => !crossing(p, q, cd[0], cd[1]) || inSegmentPair(p, q, cd[0], cd[1]));
        if (crosses === shouldCross && clear) placed = cd;
      }
      if (!placed) return null;
      segs.push(placed);
      used.push(...placed);
    }
    const elements: SceneElement[] = [segment(a, b), ...segs.map(([p, q]) => segment(p, q, 'grey')), labelled(la, a), labelled(lb, b)];
    const crossPts = segs.slice(0, want).map(([p, q]) => lineIntersection(a, b, p, q)!);
    return {
      scene: { width: ctx.width, height: ctx.height, elements }, slots: [la, lb],
      steps: [applyTool('extend', { pts: [a, b], words: [la, lb], ...ctx })], answer: ctx.target,
      perception: crossPts.length
        ? { question: `locate the crossing of ray ${la} ${lb} nearest to ${lb}`, targets: { P1: pair(nearestTo(b, crossPts)) } }
        : { question: `locate ${lb}`, targets: { P1: pair(b) } },
    };
  },
};

const nearestTo = (p: Pt, pts: readonly Pt[]): Pt => pts.reduce((best, q) => (dist(p, q) < dist(p, best) ? q : best));

/** True when two segments stay clearly apart (no crossing within either, with a margin). */
function inSegmentPair(p: Pt, q: Pt, c: Pt, d: Pt): boolean {
  const x = crossing(p, q, c, d);
  return !x || x.s < -0.2 || x.s > 1.2 || x.u < -0.2 || x.u > 1.2;
}

export const parallelCross: Family = {
  id: 'parallel-cross', domain: 'Geometry', tools: ['parallel'], answers: ['yes', 'no'], subject: 0,
  describe: ([p, , , c, d], ans) => { const v = ans === 'yes' ? 'crosses' : 'misses'; return { after: `parallel ${v} segment ${c} ${d}`, reading: [`the line through ${p} ${v} segment ${c} ${d}`] }; },
  build(rng, ctx) {
    const [lp, la, lb, lc, ld] = pickLabels(rng, 5) as [string, string, string, string, string];
    const a = placePoint(rng, ctx.width, ctx.height, []);
    const b = a && pointAtDistance(rng, a, rng.int(25, 40), ctx.width, ctx.height);
    const p = a && b && placePoint(rng, ctx.width, ctx.height, [a, b], (q) => pointLineDistance(q, a, b) > 15);
    const cd = a && b && p && randomSegment(rng, ctx, [a, b, p]);
    if (!a || !b || !p || !cd) return null;
    const [c, d] = cd;
    const x = crossing(p, add(p, sub(b, a)), c, d);
    const crosses = x ? inSegment(x.u) : false;
    if (crosses === null || yesNo(crosses) !== ctx.target) return null;
    // The segment AB itself must not touch CD, or the question would be about a visible crossing.
    if (!inSegmentPair(a, b, c, d)) return null;
    const elements = [segment(a, b), segment(c, d), labelled(la, a), labelled(lb, b), labelled(lc, c), labelled(ld, d), labelled(lp, p)];
    return {
      scene: { width: ctx.width, height: ctx.height, elements }, slots: [lp, la, lb, lc, ld],
      steps: [applyTool('parallel', { pts: [p, a, b], words: [lp, la, lb], ...ctx })], answer: ctx.target,
      perception: x && crosses
        ? { question: `locate the crossing of the parallel through ${lp} and segment ${lc} ${ld}`, targets: { P1: pair(x.at) } }
        : { question: `locate ${lp}`, targets: { P1: pair(p) } },
    };
  },
};

export const collinear: Family = {
  id: 'collinear', domain: 'Geometry', tools: ['full-line'], answers: ['yes', 'no'], subject: 0,
  describe: ([c, a, b], ans) => ({ after: `line ${ans === 'yes' ? 'through' : 'misses'} ${c}`, reading: [`${c} is ${ans === 'yes' ? 'on' : 'off'} line ${a} ${b}`] }),
  build(rng, ctx) {
    const [lc, la, lb] = pickLabels(rng, 3) as [string, string, string];
    // A lattice direction keeps "on the line" exact with integer coordinates.
    const dir: Pt = [rng.int(-4, 4), rng.int(-4, 4)];
    if (Math.abs(dir[0]) + Math.abs(dir[1]) < 3 || gcd(dir[0], dir[1]) !== 1) return null;
    const a = placePoint(rng, ctx.width, ctx.height, []);
    if (!a) return null;
    const k = Math.max(1, Math.round(rng.int(20, 32) / Math.hypot(dir[0], dir[1])));
    const b = add(a, scale(dir, k));
    const along = rng.bool() ? rng.int(2 * k, 4 * k) : -rng.int(Math.ceil(k * 0.8), 2 * k);
    let c: Pt = add(a, scale(dir, along));
    if (ctx.target === 'no') {
      const off = scale(normalize([-dir[1], dir[0]]), rng.int(4, 8) * (rng.bool() ? 1 : -1));
      c = [Math.round(c[0] + off[0]), Math.round(c[1] + off[1])];
      if (pointLineDistance(c, a, b) < 3.5) return null;
    }
    const margin = 12;
    if (![b, c].every((q) => q[0] >= margin && q[0] <= ctx.width - margin && q[1] >= margin && q[1] <= ctx.height - margin)) return null;
    if (dist(c, a) < 15 || dist(c, b) < 15) return null;
    const on = pointLineDistance(c, a, b) < 0.5;
    const elements = [segment(a, b), labelled(la, a), labelled(lb, b), labelled(lc, c)];
    return {
      scene: { width: ctx.width, height: ctx.height, elements }, slots: [lc, la, lb],
      steps: [applyTool('full-line', { pts: [a, b], words: [la, lb], ...ctx })], answer: yesNo(on),
      perception: { question: `locate the foot from ${lc} to line ${la} ${lb}`, targets: { P1: pair(footOf(c, a, b)) } },
    };
  },
};

const footOf = (p: Pt, a: Pt, b: Pt): Pt => {
  const t = projectionParameter(p, a, b);
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
};

function gcd(x: number, y: number): number {
  x = Math.abs(x), y = Math.abs(y);
  while (y) [x, y] = [y, x % y];
  return x;
}

export const sameSide: Family = {
  id: 'same-side', domain: 'Logic', tools: ['full-line'], answers: ['yes', 'no'], subject: 0,
  describe: ([p, q], ans) => { const v = ans === 'yes' ? 'same' : 'other'; return { after: `${p} and ${q} on ${v} side`, reading: [`${p} and ${q} are on the ${v} side`] }; },
  build(rng, ctx) {
    const [lp, lq, la, lb] = pickLabels(rng, 4) as [string, string, string, string];
    const a = placePoint(rng, ctx.width, ctx.height, []);
    const b = a && pointAtDistance(rng, a, rng.int(18, 28), ctx.width, ctx.height);
    if (!a || !b) return null;
    // Points far along the line, where its side is hard to judge without extending it.
    const far = (q: Pt) => pointLineDistance(q, a, b) > 5 && pointLineDistance(q, a, b) < 25 && Math.abs(projectionParameter(q, a, b) - 0.5) > 1.2;
    const p = placePoint(rng, ctx.width, ctx.height, [a, b], far);
    const q = p && placePoint(rng, ctx.width, ctx.height, [a, b, p], far);
    if (!p || !q) return null;
    const side = (r: Pt) => Math.sign((b[0] - a[0]) * (r[1] - a[1]) - (b[1] - a[1]) * (r[0] - a[0]));
    const same = side(p) === side(q);
    if (yesNo(same) !== ctx.target) return null;
    const elements = [segment(a, b), labelled(la, a), labelled(lb, b), labelled(lp, p), labelled(lq, q)];
    return {
      scene: { width: ctx.width, height: ctx.height, elements }, slots: [lp, lq, la, lb],
      steps: [applyTool('full-line', { pts: [a, b], words: [la, lb], ...ctx })], answer: ctx.target,
      perception: { question: `locate the foot from ${lp} to line ${la} ${lb}`, targets: { P1: pair(footOf(p, a, b)) } },
    };
  },
};
