// Layout helpers shared by the families: distinct labels with fixed colours, integer points with minimum separations,
// and element constructors. A label always has the same colour (A red, B blue, ...), so a tiny CNN can find a named
// point by colour as well as by its letter.
import type { ColorName, Pt, SceneElement } from '../scene/types.ts';
import { dist } from '../scene/geometry.ts';
import { LABELS } from '../knowledge/grammar.ts';
import type { Rng } from '../util/random.ts';

/** Colours of labelled points (pink and grey are kept for fills and dots). */
export const POINT_COLORS: readonly ColorName[] = ['red', 'blue', 'green', 'orange', 'purple', 'teal', 'brown', 'ink'];

export const labelColor = (label: string): ColorName => POINT_COLORS[LABELS.indexOf(label) % POINT_COLORS.length]!;

/** Minimum distance between labelled points, and from a labelled point to the canvas edge (room for the label). */
export const MIN_SEPARATION = 10;
export const EDGE_MARGIN = 12;

/** n distinct labels whose colours are all different (at most POINT_COLORS.length). */
export function pickLabels(rng: Rng, n: number): string[] {
  if (n > POINT_COLORS.length) throw new Error(`layout: at most ${POINT_COLORS.length} labels per figure, asked ${n}`);
  const classes = rng.shuffle(POINT_COLORS.map((_, i) => i)).slice(0, n);
  return classes.map((k) => rng.pick(LABELS.filter((_, i) => i % POINT_COLORS.length === k)));
}

export function randomPoint(rng: Rng, width: number, height: number, margin = EDGE_MARGIN): Pt {
  return [rng.int(margin, width - margin), rng.int(margin, height - margin)];
}

export const inside = (p: Pt, width: number, height: number, margin = EDGE_MARGIN): boolean =>
  p[0] >= margin && p[0] <= width - margin && p[1] >= margin && p[1] <= height - margin;

export const farFrom = (p: Pt, others: readonly Pt[], sep = MIN_SEPARATION): boolean => others.every((q) => dist(p, q) >= sep);

/** A random point satisfying `ok` and far from `others`, or null after `tries` draws. */
export function placePoint(
  rng: Rng, width: number, height: number, others: readonly Pt[], ok: (p: Pt) => boolean = () => true,
  opts: { margin?: number; sep?: number; tries?: number } = {},
): Pt | null {
  for (let i = 0; i < (opts.tries ?? 200); i++) {
    const p = randomPoint(rng, width, height, opts.margin ?? EDGE_MARGIN);
    if (farFrom(p, others, opts.sep ?? MIN_SEPARATION) && ok(p)) return p;
  }
  return null;
}

/** A point at distance `len` from `from` in a random direction, rounded, inside the canvas margin; or null. */
export function pointAtDistance(rng: Rng, from: Pt, len: number, width: number, height: number): Pt | null {
  for (let i = 0; i < 50; i++) {
    const a = rng.uniform(0, 2 * Math.PI);
    const p: Pt = [Math.round(from[0] + len * Math.cos(a)), Math.round(from[1] + len * Math.sin(a))];
    if (inside(p, width, height)) return p;
  }
  return null;
}

export const labelled = (label: string, at: Pt): SceneElement => ({ kind: 'point', id: label, at, label, color: labelColor(label) });
/** Unlabelled grey dots, counted by the counting families (ids dot1, dot2, ...). */
export const dotEl = (i: number, at: Pt): SceneElement => ({ kind: 'point', id: `dot${i + 1}`, at, color: 'grey' });
export const segment = (from: Pt, to: Pt, color: ColorName = 'ink'): SceneElement => ({ kind: 'segment', from, to, color });

/** The rounded point as a mutable pair (perception targets are JSON pairs). */
export const pair = (p: Pt): [number, number] => [Math.round(p[0]), Math.round(p[1])];

export const yesNo = (b: boolean): 'yes' | 'no' => (b ? 'yes' : 'no');
