// Families about distances: perpendiculars, midpoints, perpendicular bisectors and circles make a near-tie visible.
import type { Pt } from '../../scene/types.ts';
import { dist, footOfPerpendicular, midpoint, pointLineDistance, projectionParameter } from '../../scene/geometry.ts';
import { applyTool } from '../../knowledge/tools.ts';
import type { Rng } from '../../util/random.ts';
import type { BuildContext, Family } from '../types.ts';
import { labelled, pair, pickLabels, placePoint, pointAtDistance, segment, yesNo } from '../layout.ts';

/** Three option points whose distances (by `measure`) put the one at position `want` clearly nearest. */
function optionsWithNearest(rng: Rng, ctx: BuildContext, avoid: Pt[], measure: (p: Pt) => number, ok: (p: Pt) => boolean): Pt[] | null {
  const want = Number(ctx.target);
  const pts: Pt[] = [];
  for (let i = 0; i < 3; i++) {
    const p = placePoint(rng, ctx.width, ctx.height, [...avoid, ...pts], ok);
    if (!p) return null;
    pts.push(p);
  }
  const order = pts.map((p, i) => [measure(p), i] as const).sort((x, y) => x[0] - y[0]);
  const [best, second] = order as [readonly [number, number], readonly [number, number]];
  // A near tie is unanswerable even with the construction; a wide gap makes the construction unnecessary.
  if (second[0] - best[0] < 4 || second[0] / Math.max(best[0], 1) < 1.15) return null;
  if (best[1] !== want) [pts[want], pts[best[1]]] = [pts[best[1]]!, pts[want]!];
  return pts;
}

export const nearestLine: Family = {
  id: 'nearest-line', domain: 'Geometry', tools: ['perpendicular'], answers: ['0', '1', '2'],
  describe: (_, ans) => ({ after: `shortest perpendicular from ${ans}`, reading: [`the perpendicular from ${ans} is shortest`] }),
  choices: (slots) => slots[0]!.split(' '),
  build(rng, ctx) {
    const labels = pickLabels(rng, 5);
    const [la, lb] = labels.slice(3) as [string, string];
    const a = placePoint(rng, ctx.width, ctx.height, []);
    const b = a && pointAtDistance(rng, a, rng.int(25, 40), ctx.width, ctx.height);
    if (!a || !b) return null;
    const opts = optionsWithNearest(rng, ctx, [a, b], (p) => pointLineDistance(p, a, b), (p) => {
      const d = pointLineDistance(p, a, b);
      return d > 8 && d < 40;
    });
    if (!opts) return null;
    const names = labels.slice(0, 3);
    const answer = names[Number(ctx.target)]!;
    const elements = [segment(a, b), labelled(la, a), labelled(lb, b), ...opts.map((p, i) => labelled(names[i]!, p))];
    const steps = opts.map((p, i) => applyTool('perpendicular', { pts: [p, a, b], words: [names[i]!, la, lb], ...ctx }));
    const near = opts[Number(ctx.target)]!;
    return {
      scene: { width: ctx.width, height: ctx.height, elements }, slots: [names.join(' '), la, lb], steps, answer,
      perception: { question: `locate the foot from ${answer} to line ${la} ${lb}`, targets: { P1: pair(footOfPerpendicular(near, a, b)) } },
    };
  },
};

export const footInside: Family = {
  id: 'foot-inside', domain: 'Geometry', tools: ['full-line', 'perpendicular'], answers: ['yes', 'no'], subject: 0,
  describe: ([, a, b], ans) => { const v = ans === 'yes' ? 'inside' : 'outside'; return { after: `foot ${v} segment ${a} ${b}`, reading: [`the foot is ${v} segment ${a} ${b}`] }; },
  build(rng, ctx) {
    const [lp, la, lb] = pickLabels(rng, 3) as [string, string, string];
    const a = placePoint(rng, ctx.width, ctx.height, []);
    const b = a && pointAtDistance(rng, a, rng.int(25, 45), ctx.width, ctx.height);
    if (!a || !b) return null;
    const want = ctx.target === 'yes';
    const p = placePoint(rng, ctx.width, ctx.height, [a, b], (q) => {
      const t = projectionParameter(q, a, b), d = pointLineDistance(q, a, b);
      // Near the ends, where the foot's side is hard to judge by eye.
      const inRange = want ? (t > 0.08 && t < 0.3) || (t > 0.7 && t < 0.92) : (t > -0.4 && t < -0.1) || (t > 1.1 && t < 1.4);
      return inRange && d > 15 && d < 45;
    });
    if (!p) return null;
    const foot = footOfPerpendicular(p, a, b);
    const elements = [segment(a, b), labelled(la, a), labelled(lb, b), labelled(lp, p)];
    return {
      scene: { width: ctx.width, height: ctx.height, elements }, slots: [lp, la, lb, la, lb],
      steps: [applyTool('full-line', { pts: [a, b], words: [la, lb], ...ctx }), applyTool('perpendicular', { pts: [p, a, b], words: [lp, la, lb], ...ctx })],
      answer: ctx.target,
      perception: { question: `locate the foot from ${lp} to line ${la} ${lb}`, targets: { P1: pair(foot) } },
    };
  },
};

export const midpointNearest: Family = {
  id: 'midpoint-nearest', domain: 'Geometry', tools: ['midpoint'], answers: ['0', '1', '2'],
  describe: (_, ans) => ({ after: `${ans} nearest to the midpoint`, reading: [`${ans} is nearest to the midpoint`] }),
  choices: (slots) => slots[0]!.split(' '),
  build(rng, ctx) {
    const labels = pickLabels(rng, 5);
    const [la, lb] = labels.slice(3) as [string, string];
    const a = placePoint(rng, ctx.width, ctx.height, []);
    const b = a && pointAtDistance(rng, a, rng.int(50, 80), ctx.width, ctx.height);
    if (!a || !b) return null;
    const m = midpoint(a, b);
    const opts = optionsWithNearest(rng, ctx, [a, b, m], (p) => dist(p, m), (p) => dist(p, m) < 35);
    if (!opts) return null;
    const names = labels.slice(0, 3);
    const answer = names[Number(ctx.target)]!;
    const elements = [segment(a, b), labelled(la, a), labelled(lb, b), ...opts.map((p, i) => labelled(names[i]!, p))];
    return {
      scene: { width: ctx.width, height: ctx.height, elements }, slots: [names.join(' '), la, lb],
      steps: [applyTool('midpoint', { pts: [a, b], words: [la, lb], ...ctx })], answer,
      perception: { question: `locate the midpoint of ${la} ${lb}`, targets: { P1: pair(m) } },
    };
  },
};

export const closerEndpoint: Family = {
  id: 'closer-endpoint', domain: 'Geometry', tools: ['perpendicular-bisector'], answers: ['0', '1'], subject: 0,
  describe: ([p], ans) => ({ after: `${p} on the side of ${ans}`, reading: [`${p} is on the side of ${ans}`] }),
  choices: (slots) => [slots[1]!, slots[2]!],
  build(rng, ctx) {
    const [lp, la, lb] = pickLabels(rng, 3) as [string, string, string];
    const a = placePoint(rng, ctx.width, ctx.height, []);
    const b = a && pointAtDistance(rng, a, rng.int(40, 70), ctx.width, ctx.height);
    if (!a || !b) return null;
    const near = ctx.target === '0' ? a : b;
    const far = near === a ? b : a;
    const p = placePoint(rng, ctx.width, ctx.height, [a, b], (q) => {
      const gap = dist(q, far) - dist(q, near);
      return gap > 4 && gap < 14;
    });
    if (!p) return null;
    const answer = near === a ? la : lb;
    const m = midpoint(a, b);
    return {
      scene: { width: ctx.width, height: ctx.height, elements: [labelled(la, a), labelled(lb, b), labelled(lp, p)] },
      slots: [lp, la, lb], steps: [applyTool('perpendicular-bisector', { pts: [a, b], words: [la, lb], ...ctx })], answer,
      perception: { question: `locate the midpoint of ${la} ${lb}`, targets: { P1: pair(m) } },
    };
  },
};

export const inCircle: Family = {
  id: 'in-circle', domain: 'Geometry', tools: ['circle-through'], answers: ['yes', 'no'], subject: 0,
  describe: ([p], ans) => { const v = ans === 'yes' ? 'inside' : 'outside'; return { after: `${p} ${v} the circle`, reading: [`${p} is ${v} the circle`] }; },
  build(rng, ctx) {
    const [lp, lo, la] = pickLabels(rng, 3) as [string, string, string];
    const o = placePoint(rng, ctx.width, ctx.height, [], undefined, { margin: 40 });
    const a = o && pointAtDistance(rng, o, rng.int(22, 38), ctx.width, ctx.height);
    if (!o || !a) return null;
    const r = Math.round(dist(o, a));
    const want = ctx.target === 'yes';
    const p = placePoint(rng, ctx.width, ctx.height, [o, a], (q) => {
      const gap = dist(q, o) - r;
      return want ? gap < -3 && gap > -12 : gap > 3 && gap < 12;
    });
    if (!p) return null;
    const inside = dist(p, o) < dist(a, o);
    return {
      scene: { width: ctx.width, height: ctx.height, elements: [segment(o, a, 'grey'), labelled(lo, o), labelled(la, a), labelled(lp, p)] },
      slots: [lp, lo, la], steps: [applyTool('circle-through', { pts: [o, a], words: [lo, la], ...ctx })], answer: yesNo(inside),
      perception: { question: `locate the midpoint of ${lo} ${la}`, targets: { P1: pair(midpoint(o, a)) } },
    };
  },
};
