// Reading a scene the way a careful human would: named points by their visible labels, value axes from the numeric
// tick texts, bars by the letters under them, dots as unlabelled points. The solver and the overlay checks use only
// this, never the creator's internals.
import type { ColorName, Pt, Scene, SceneElement } from '../scene/types.ts';

export function pointByLabel(scene: Scene, label: string): Pt {
  const el = scene.elements.find((e) => e.kind === 'point' && e.label === label);
  if (!el || el.kind !== 'point') throw new Error(`solver: the figure has no point labelled "${label}"`);
  return el.at;
}

/** Unlabelled points (the dots counting questions count). */
export const dots = (scene: Scene): Pt[] => scene.elements.flatMap((e) => (e.kind === 'point' && !e.label ? [e.at] : []));

export interface AxisMap {
  /** Pixel -> value along the axis. */
  value(pixel: number): number;
  /** Value -> pixel. */
  pixel(value: number): number;
}

function fit(ticks: Array<[pixel: number, value: number]>): AxisMap {
  const [p0, v0] = ticks[0]!, [p1, v1] = ticks[ticks.length - 1]!;
  const k = (p1 - p0) / (v1 - v0);
  return { value: (p) => v0 + (p - p0) / k, pixel: (v) => p0 + (v - v0) * k };
}

/** The x and y value axes from numeric tick texts: y ticks share a column, x ticks share a row. */
export function readAxes(scene: Scene): { x: AxisMap | null; y: AxisMap } {
  const numeric = scene.elements.flatMap((e) => (e.kind === 'text' && /^-?\d+$/.test(e.text) ? [e] : []));
  const group = (key: (e: { at: Pt }) => number) => {
    const m = new Map<number, typeof numeric>();
    for (const e of numeric) m.set(key(e), [...(m.get(key(e)) ?? []), e]);
    return [...m.values()].filter((g) => g.length >= 3).sort((a, b) => b.length - a.length)[0];
  };
  const ys = group((e) => Math.round(e.at[0]));
  const xs = group((e) => Math.round(e.at[1]));
  if (!ys) throw new Error('solver: the figure has no value axis (needs three or more numeric ticks in a column)');
  const ticks = (g: typeof numeric, axis: 0 | 1) => g.map((e): [number, number] => [e.at[axis], Number(e.text)]).sort((a, b) => a[1] - b[1]);
  return { x: xs ? fit(ticks(xs, 0)) : null, y: fit(ticks(ys, 1)) };
}

/** Bars (filled rects) keyed by the letter printed under each. */
export function bars(scene: Scene): Map<string, Extract<SceneElement, { kind: 'rect' }>> {
  const rects = scene.elements.flatMap((e) => (e.kind === 'rect' && e.fill ? [e] : []));
  const out = new Map<string, (typeof rects)[number]>();
  for (const t of scene.elements) {
    if (t.kind !== 'text' || !/^[A-Z]$/.test(t.text)) continue;
    const under = rects.find((r) => t.at[0] >= r.at[0] && t.at[0] <= r.at[0] + r.w && t.at[1] > r.at[1] + r.h);
    if (under) out.set(t.text, under);
  }
  return out;
}

export function polylineByColor(scene: Scene, color: ColorName): readonly Pt[] {
  const el = scene.elements.find((e) => e.kind === 'polyline' && e.color === color);
  if (!el || el.kind !== 'polyline') throw new Error(`solver: the figure has no ${color} curve`);
  return el.points;
}

/** The curve's pixel row at pixel column x (linear between vertices), or null outside its span. */
export function curveAt(points: readonly Pt[], x: number): number | null {
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1]!, points[i]!];
    if (x >= Math.min(a[0], b[0]) && x <= Math.max(a[0], b[0]) && a[0] !== b[0]) return a[1] + ((b[1] - a[1]) * (x - a[0])) / (b[0] - a[0]);
  }
  return null;
}
