// Bar-chart families: a horizontal reference line turns "above a value" and "taller than" into a visible comparison.
import type { ColorName, SceneElement } from '../../scene/types.ts';
import { applyTool } from '../../knowledge/tools.ts';
import type { Rng } from '../../util/random.ts';
import type { BuildContext, Family } from '../types.ts';
import { makeAxes } from '../axes.ts';
import { pair, pickLabels, yesNo } from '../layout.ts';

const BAR_COLORS: readonly ColorName[] = ['red', 'blue', 'green', 'orange', 'purple', 'teal'];
const Y_MAX = 10;

/** A chart of bars with the given values, letters under the bars; returns elements and each bar's top centre. */
function barChart(rng: Rng, ctx: BuildContext, values: readonly number[]) {
  const axes = makeAxes(ctx.width, ctx.height, { xMax: values.length, yMax: Y_MAX, yStep: 2, xTicks: false });
  const letters = pickLabels(rng, values.length).sort();
  const colors = rng.shuffle(BAR_COLORS);
  const elements: SceneElement[] = [...axes.elements];
  const tops: Array<[number, number]> = [];
  values.forEach((v, i) => {
    const cx = Math.round(axes.px(i + 0.5)), w = 10, top = Math.round(axes.py(v)), base = Math.round(axes.py(0));
    elements.push({ kind: 'rect', at: [cx - w / 2, top], w, h: base - top, color: colors[i]!, fill: colors[i]! });
    elements.push({ kind: 'text', at: [cx, base + 8], text: letters[i]!, color: 'ink', size: 8 });
    tops.push([cx, top]);
  });
  return { elements, letters, tops, axes };
}

export const barsAbove: Family = {
  id: 'bars-above', domain: 'Statistics', tools: ['horizontal-line'], answers: ['0', '1', '2', '3', '4'],
  describe: ([n], ans) => ({ after: `${ans} bars above the line`, reading: [`count ${ans} bars above ${n}`] }),
  build(rng, ctx) {
    const want = Number(ctx.target);
    const n = rng.int(Math.max(4, want), 6);
    const level = rng.pick([2, 4, 6, 8]);
    // Bars near the level (one unit either side) are what make the reference line necessary.
    const above = (k: number) => Array.from({ length: k }, () => Math.min(Y_MAX, level + (rng.bool(0.6) ? 1 : rng.int(1, Y_MAX - level))));
    const below = (k: number) => Array.from({ length: k }, () => Math.max(1, level - (rng.bool(0.6) ? 1 : rng.int(1, level))));
    const values = rng.shuffle([...above(want), ...below(n - want)]);
    if (values.some((v) => v === level || v < 1 || v > Y_MAX)) return null;
    const chart = barChart(rng, ctx, values);
    const y = chart.axes.py(level);
    return {
      scene: { width: ctx.width, height: ctx.height, elements: chart.elements }, slots: [String(level)],
      steps: [applyTool('horizontal-line', { pts: [], words: [String(level)], nums: [y], ...ctx })], answer: String(want),
      perception: { question: `locate the top of bar ${chart.letters[0]}`, targets: { P1: pair(chart.tops[0]!) } },
    };
  },
};

export const barCompare: Family = {
  id: 'bar-compare', domain: 'Statistics', tools: ['bar-top-line'], answers: ['yes', 'no'],
  describe: ([x, z], ans) => ({ after: `bar ${z} ${ans === 'yes' ? 'below' : 'above'} the line`, reading: [`bar ${x} is ${ans === 'yes' ? 'taller' : 'shorter'} than bar ${z}`] }),
  build(rng, ctx) {
    const n = rng.int(4, 6);
    const values = Array.from({ length: n }, () => rng.int(2, Y_MAX));
    const i = rng.int(0, n - 1);
    const j = rng.pick(Array.from({ length: n }, (_, k) => k).filter((k) => Math.abs(k - i) >= 2));
    // The compared bars differ by one unit and stand apart, so the eye cannot settle it without a level line.
    values[j] = values[i]! + (ctx.target === 'yes' ? -1 : 1);
    if (values[j]! < 1 || values[j]! > Y_MAX) return null;
    const chart = barChart(rng, ctx, values);
    const [li, lj] = [chart.letters[i]!, chart.letters[j]!];
    const taller = values[i]! > values[j]!;
    return {
      scene: { width: ctx.width, height: ctx.height, elements: chart.elements }, slots: [li, lj],
      steps: [applyTool('bar-top-line', { pts: [chart.tops[i]!], words: [li], ...ctx })], answer: yesNo(taller),
      perception: { question: `locate the top of bar ${li}`, targets: { P1: pair(chart.tops[i]!) } },
    };
  },
};
