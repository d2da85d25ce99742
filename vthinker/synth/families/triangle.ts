// Families on angles and triangles: an angle bisector splits the plane, a median reaches the opposite side.
import type { Pt } from '../../scene/types.ts';
import { angleAt, angleBisectorDirection, cross, dot, midpoint, polygonArea, sub } from '../../scene/geometry.ts';
import { applyTool } from '../../knowledge/tools.ts';
import type { Family } from '../types.ts';
import { labelled, pair, pickLabels, placePoint, pointAtDistance, segment, yesNo } from '../layout.ts';
import { crossing } from './lines.ts';

export const bisectorSide: Family = {
  id: 'bisector-side', domain: 'Geometry', tools: ['bisector'], answers: ['yes', 'no'], subject: 0,
  describe: ([p, x, a, , c], ans) => { const side = ans === 'yes' ? x : x === a ? c : a; return { after: `${p} on the side of ${side}`, reading: [`${p} is on the side of ${side}`] }; },
  build(rng, ctx) {
    const [lp, la, lb, lc] = pickLabels(rng, 4) as [string, string, string, string];
    const b = placePoint(rng, ctx.width, ctx.height, [], undefined, { margin: 30 });
    const a = b && pointAtDistance(rng, b, rng.int(35, 55), ctx.width, ctx.height);
    const c = b && pointAtDistance(rng, b, rng.int(35, 55), ctx.width, ctx.height);
    if (!a || !b || !c) return null;
    const angle = angleAt(a, b, c);
    if (angle < (50 * Math.PI) / 180 || angle > (140 * Math.PI) / 180) return null;
    const dir = angleBisectorDirection(a, b, c);
    const side = (q: Pt) => Math.sign(cross(dir, sub(q, b)));
    // Inside the angle, near the bisector but clearly off it (4..12 units), so the side needs the ray to see.
    const p = placePoint(rng, ctx.width, ctx.height, [a, b, c], (q) => {
      const v = sub(q, b), off = Math.abs(cross(dir, v));
      return dot(dir, v) > 20 && off > 4 && off < 12;
    });
    if (!p) return null;
    // The reference arm is drawn at random, so "yes" never means "the side of the first arm".
    const [ref, lref] = rng.bool() ? [a, la] : [c, lc];
    const same = side(p) === side(ref);
    if (yesNo(same) !== ctx.target) return null;
    const elements = [segment(b, a), segment(b, c), labelled(la, a), labelled(lb, b), labelled(lc, c), labelled(lp, p)];
    return {
      scene: { width: ctx.width, height: ctx.height, elements }, slots: [lp, lref, la, lb, lc],
      steps: [applyTool('bisector', { pts: [a, b, c], words: [la, lb, lc], ...ctx })], answer: ctx.target,
      perception: { question: `locate the vertex of angle ${la} ${lb} ${lc}`, targets: { P1: pair(b) } },
    };
  },
};

export const medianCross: Family = {
  id: 'median-cross', domain: 'Geometry', tools: ['median'], answers: ['yes', 'no'],
  describe: ([v, , , , d, e], ans) => { const w = ans === 'yes' ? 'crosses' : 'misses'; return { after: `median ${w} segment ${d} ${e}`, reading: [`the median from ${v} ${w} segment ${d} ${e}`] }; },
  build(rng, ctx) {
    const [la, lb, lc, ld, le] = pickLabels(rng, 5) as [string, string, string, string, string];
    const a = placePoint(rng, ctx.width, ctx.height, []);
    const b = a && placePoint(rng, ctx.width, ctx.height, [a], (q) => Math.hypot(q[0] - a[0], q[1] - a[1]) > 45);
    const c = a && b && placePoint(rng, ctx.width, ctx.height, [a, b], (q) => Math.abs(polygonArea([a, b, q])) > 900);
    if (!a || !b || !c) return null;
    const m = midpoint(b, c);
    const d = placePoint(rng, ctx.width, ctx.height, [a, b, c, m]);
    const e = d && pointAtDistance(rng, d, rng.int(20, 35), ctx.width, ctx.height);
    if (!d || !e || [a, b, c, m].some((q) => Math.hypot(q[0] - e[0], q[1] - e[1]) < 10)) return null;
    const x = crossing(a, m, d, e);
    const crosses = x && x.s > 0.15 && x.s < 0.85 && x.u > 0.15 && x.u < 0.85;
    const misses = !x || x.s < -0.1 || x.s > 1.15 || x.u < -0.25 || x.u > 1.25;
    if (!crosses && !misses) return null;
    if (yesNo(!!crosses) !== ctx.target) return null;
    const elements = [
      { kind: 'polygon' as const, points: [a, b, c], color: 'ink' as const }, segment(d, e, 'grey'),
      labelled(la, a), labelled(lb, b), labelled(lc, c), labelled(ld, d), labelled(le, e),
    ];
    return {
      scene: { width: ctx.width, height: ctx.height, elements }, slots: [la, la, lb, lc, ld, le],
      steps: [applyTool('median', { pts: [a, a, b, c], words: [la, la, lb, lc], ...ctx })], answer: ctx.target,
      perception: { question: `locate the midpoint of ${lb} ${lc}`, targets: { P1: pair(m) } },
    };
  },
};
