// Counting families: how many dots fall inside a region that the tool draws (a polygon, a circle) or zooms (a box).
import type { Pt, SceneElement } from '../../scene/types.ts';
import { centroid, dist, pointInPolygon, pointSegmentDistance } from '../../scene/geometry.ts';
import { applyTool } from '../../knowledge/tools.ts';
import type { Rng } from '../../util/random.ts';
import type { BuildContext, Family } from '../types.ts';
import { dotEl, farFrom, labelled, pair, pickLabels, placePoint, randomPoint } from '../layout.ts';

/** `inside` dots that satisfy `isIn` and `total - inside` that do not, all at least `margin` from the boundary. */
function scatter(rng: Rng, ctx: BuildContext, avoid: Pt[], want: number, total: number, isIn: (p: Pt) => boolean, boundary: (p: Pt) => number, near: (p: Pt) => boolean): Pt[] | null {
  const dots: Pt[] = [];
  for (let i = 0; i < total; i++) {
    const wantIn = i < want;
    const p = placePoint(rng, ctx.width, ctx.height, [...avoid, ...dots], (q) => isIn(q) === wantIn && boundary(q) > 3 && near(q), { margin: 6 });
    if (!p) return null;
    dots.push(p);
  }
  return rng.shuffle(dots);
}

function polygonEdgesDistance(poly: readonly Pt[]): (p: Pt) => number {
  return (p) => Math.min(...poly.map((a, i) => pointSegmentDistance(p, a, poly[(i + 1) % poly.length]!)));
}

export const dotsInPolygon: Family = {
  id: 'dots-in-polygon', domain: 'Logic', tools: ['shade'], answers: ['0', '1', '2', '3', '4'],
  describe: (_, ans) => ({ after: `${ans} dots in the shaded region`, reading: [`count ${ans}`] }),
  build(rng, ctx) {
    const n = rng.int(3, 5);
    const labels = pickLabels(rng, n);
    const c: Pt = [rng.int(45, ctx.width - 45), rng.int(45, ctx.height - 45)];
    const start = rng.uniform(0, 2 * Math.PI);
    // A convex polygon: vertices at increasing angles around a centre.
    const poly: Pt[] = Array.from({ length: n }, (_, i) => {
      const a = start + (2 * Math.PI * (i + rng.uniform(0.15, 0.85))) / n;
      const r = rng.int(26, 40);
      return [Math.round(c[0] + r * Math.cos(a)), Math.round(c[1] + r * Math.sin(a))];
    });
    if (poly.some((p) => p[0] < 10 || p[1] < 10 || p[0] > ctx.width - 10 || p[1] > ctx.height - 10)) return null;
    const want = Number(ctx.target);
    const dots = scatter(rng, ctx, poly, want, want + rng.int(2, 4), (p) => pointInPolygon(p, poly), polygonEdgesDistance(poly), (p) => dist(p, c) < 55);
    if (!dots) return null;
    const elements: SceneElement[] = [...dots.map((p, i) => dotEl(i, p)), ...poly.map((p, i) => labelled(labels[i]!, p))];
    return {
      scene: { width: ctx.width, height: ctx.height, elements }, slots: [labels.join(' ')],
      steps: [applyTool('shade', { pts: poly, words: [labels.join(' ')], ...ctx })], answer: ctx.target,
      perception: { question: `locate the centroid of polygon ${labels.join(' ')}`, targets: { P1: pair(centroid(poly)) } },
    };
  },
};

export const dotsInCircle: Family = {
  id: 'dots-in-circle', domain: 'Logic', tools: ['circle-through'], answers: ['0', '1', '2', '3', '4'],
  describe: (_, ans) => ({ after: `${ans} dots in the circle`, reading: [`count ${ans}`] }),
  build(rng, ctx) {
    const [lo, la] = pickLabels(rng, 2) as [string, string];
    const o = placePoint(rng, ctx.width, ctx.height, [], undefined, { margin: 40 });
    if (!o) return null;
    const ang = rng.uniform(0, 2 * Math.PI), r = rng.int(24, 36);
    const a: Pt = [Math.round(o[0] + r * Math.cos(ang)), Math.round(o[1] + r * Math.sin(ang))];
    const radius = dist(o, a);
    const want = Number(ctx.target);
    const dots = scatter(rng, ctx, [o, a], want, want + rng.int(2, 4), (p) => dist(p, o) < radius, (p) => Math.abs(dist(p, o) - radius), (p) => dist(p, o) < radius + 20);
    if (!dots) return null;
    const elements: SceneElement[] = [...dots.map((p, i) => dotEl(i, p)), labelled(lo, o), labelled(la, a)];
    return {
      scene: { width: ctx.width, height: ctx.height, elements }, slots: [lo, la],
      steps: [applyTool('circle-through', { pts: [o, a], words: [lo, la], ...ctx })], answer: ctx.target,
      perception: { question: `locate ${lo}`, targets: { P1: pair(o) } },
    };
  },
};

export const boxCount: Family = {
  id: 'box-count', domain: 'Logic', tools: ['crop'], answers: ['1', '2', '3', '4', '5'],
  describe: (_, ans) => ({ after: `${ans} dots in the box`, reading: [`count ${ans}`] }),
  build(rng, ctx) {
    const side = 22;
    const at = randomPoint(rng, ctx.width, ctx.height, 8);
    if (at[0] + side > ctx.width - 8 || at[1] + side > ctx.height - 8) return null;
    const inBox = (p: Pt, m = 0) => p[0] > at[0] + m && p[0] < at[0] + side - m && p[1] > at[1] + m && p[1] < at[1] + side - m;
    const want = Number(ctx.target);
    // Dots in the box are packed (5 units apart): countable only after zooming in.
    const dots: Pt[] = [];
    for (let t = 0; t < 400 && dots.length < want; t++) {
      const p: Pt = [rng.int(at[0] + 4, at[0] + side - 4), rng.int(at[1] + 4, at[1] + side - 4)];
      if (farFrom(p, dots, 5)) dots.push(p);
    }
    if (dots.length < want) return null;
    const outside = rng.int(3, 5);
    for (let i = 0; i < outside; i++) {
      const p = placePoint(rng, ctx.width, ctx.height, dots, (q) => !inBox(q, -8), { margin: 6 });
      if (!p) return null;
      dots.push(p);
    }
    const order = rng.shuffle(dots);
    const elements: SceneElement[] = [{ kind: 'rect', at, w: side, h: side, color: 'grey' }, ...order.map((p, i) => dotEl(i, p))];
    const box = [at[0] - 2, at[1] - 2, at[0] + side + 2, at[1] + side + 2];
    return {
      scene: { width: ctx.width, height: ctx.height, elements }, slots: [],
      steps: [applyTool('crop', { pts: [], words: [], nums: box, ...ctx })], answer: ctx.target,
      perception: { question: 'locate the centre of the grey box', targets: { P1: pair([at[0] + side / 2, at[1] + side / 2]) } },
    };
  },
};
