// Function-graph families: piecewise-linear curves through integer knots on labelled axes; vertical and horizontal
// reference lines make values, comparisons and level crossings readable.
import type { ColorName, Pt, SceneElement } from '../../scene/types.ts';
import { applyTool } from '../../knowledge/tools.ts';
import type { Rng } from '../../util/random.ts';
import type { BuildContext, Family } from '../types.ts';
import { makeAxes, type Axes } from '../axes.ts';
import { pair } from '../layout.ts';

const X_MAX = 8, Y_MAX = 8;
const CURVE_COLORS: readonly ColorName[] = ['red', 'blue', 'green', 'orange', 'purple'];

/** A random walk of integer knots in [0, Y_MAX] (steps of at most 3 keep curves smooth enough to follow). */
function knots(rng: Rng): number[] {
  const ys = [rng.int(1, Y_MAX - 1)];
  for (let x = 1; x <= X_MAX; x++) ys.push(Math.min(Y_MAX, Math.max(0, ys[x - 1]! + rng.int(-3, 3))));
  return ys;
}

const curve = (axes: Axes, ys: readonly number[], color: ColorName): SceneElement => ({
  kind: 'polyline', color, points: ys.map((y, x): Pt => [Math.round(axes.px(x)), Math.round(axes.py(y))]),
});

function graph(rng: Rng, ctx: BuildContext, curves: number) {
  const axes = makeAxes(ctx.width, ctx.height, { xMax: X_MAX, yMax: Y_MAX, yStep: 2, xTicks: true });
  const colors = rng.shuffle(CURVE_COLORS).slice(0, curves);
  return { axes, colors };
}

export const curveCompare: Family = {
  id: 'curve-compare', domain: 'Algebra', tools: ['vertical-line'], answers: ['yes', 'no'],
  describe: ([k, f, g], ans) => { const v = ans === 'yes' ? 'above' : 'below'; return { after: `at x ${k} the ${f} curve is ${v}`, reading: [`at x ${k} the ${f} curve is ${v} the ${g} curve`] }; },
  build(rng, ctx) {
    const { axes, colors } = graph(rng, ctx, 2);
    const [f, g] = [knots(rng), knots(rng)];
    const k = rng.int(1, X_MAX - 1);
    const diffs = f.map((y, x) => y - g[x]!);
    // The curves must cross somewhere, and differ at x = k, so the answer depends on where one looks.
    if (diffs[k] === 0 || !diffs.some((d) => Math.sign(d) === -Math.sign(diffs[k]!))) return null;
    const above = diffs[k]! > 0;
    if ((above ? 'yes' : 'no') !== ctx.target) return null;
    return {
      scene: { width: ctx.width, height: ctx.height, elements: [...axes.elements, curve(axes, f, colors[0]!), curve(axes, g, colors[1]!)] },
      slots: [String(k), colors[0]!, colors[1]!],
      steps: [applyTool('vertical-line', { pts: [], words: [String(k)], nums: [axes.px(k)], ...ctx })], answer: ctx.target,
      perception: { question: `locate the ${colors[0]} curve at x ${k}`, targets: { P1: pair([axes.px(k), axes.py(f[k]!)]) } },
    };
  },
};

export const curveValue: Family = {
  id: 'curve-value', domain: 'Algebra', tools: ['vertical-line', 'horizontal-line'], answers: ['1', '2', '3', '4', '5', '6', '7'],
  describe: ([c], ans) => ({ after: `the ${c} curve meets y ${ans}`, reading: [`read value ${ans}`] }),
  build(rng, ctx) {
    const { axes, colors } = graph(rng, ctx, 2);
    const [f, g] = [knots(rng), knots(rng)];
    const k = rng.int(1, X_MAX - 1);
    f[k] = Number(ctx.target);
    const y = f[k]!;
    const at: Pt = [axes.px(k), axes.py(y)];
    return {
      scene: { width: ctx.width, height: ctx.height, elements: [...axes.elements, curve(axes, f, colors[0]!), curve(axes, g, colors[1]!)] },
      slots: [colors[0]!, String(k)],
      steps: [
        applyTool('vertical-line', { pts: [], words: [String(k)], nums: [at[0]], ...ctx }),
        applyTool('horizontal-line', { pts: [], words: [String(y)], nums: [at[1]], ...ctx }),
      ],
      answer: String(y), perception: { question: `locate the ${colors[0]} curve at x ${k}`, targets: { P1: pair(at) } },
    };
  },
};

export const curveCrossings: Family = {
  id: 'curve-crossings', domain: 'Algebra', tools: ['horizontal-line'], answers: ['0', '1', '2', '3'],
  describe: ([c], ans) => ({ after: `the line meets the ${c} curve ${ans} times`, reading: [`count ${ans}`] }),
  build(rng, ctx) {
    const { axes, colors } = graph(rng, ctx, 2);
    const [f, g] = [knots(rng), knots(rng)];
    const level = rng.int(1, Y_MAX - 1);
    // Knots never sit exactly on the level, so every crossing is a clean sign change between two knots.
    if (f.some((y) => y === level)) return null;
    let count = 0;
    for (let x = 1; x <= X_MAX; x++) if (Math.sign(f[x]! - level) !== Math.sign(f[x - 1]! - level)) count++;
    if (String(count) !== ctx.target) return null;
    const first = f.findIndex((y, x) => x > 0 && Math.sign(y - level) !== Math.sign(f[x - 1]! - level));
    const cross: Pt | null = first > 0
      ? [axes.px(first - 1 + (level - f[first - 1]!) / (f[first]! - f[first - 1]!)), axes.py(level)] : null;
    return {
      scene: { width: ctx.width, height: ctx.height, elements: [...axes.elements, curve(axes, f, colors[0]!), curve(axes, g, colors[1]!)] },
      slots: [colors[0]!, String(level)],
      steps: [applyTool('horizontal-line', { pts: [], words: [String(level)], nums: [axes.py(level)], ...ctx })],
      answer: String(count), perception: cross
        ? { question: `locate the first crossing of the ${colors[0]} curve and y ${level}`, targets: { P1: pair(cross) } }
        : { question: `locate the ${colors[0]} curve at x 0`, targets: { P1: pair([axes.px(0), axes.py(f[0]!)]) } },
    };
  },
};
