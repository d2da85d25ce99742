// Held-out splits for the benchmark: disjoint seeds, whole concept combinations kept out of training, and no
// training figure that is a twin of a held-out one (same canonical scene).
import type { Pt, Scene, SceneElement } from '../scene/types.ts';
import { hashString, rng as makeRng } from '../util/random.ts';
import type { Sample } from './types.ts';

/** Grid (scene units) coordinates are snapped to before comparing layouts. */
export const CANONICAL_GRID = 4;

const q = (v: number, grid: number) => Math.round(v / grid);
const qp = (p: Pt, grid: number) => `${q(p[0], grid)},${q(p[1], grid)}`;

/** A polygon's vertex cycle in a start- and direction-independent form. */
function cycle(points: readonly Pt[], grid: number): string {
  const keys = points.map((p) => qp(p, grid));
  const rotations = (list: string[]) => list.map((_, i) => [...list.slice(i), ...list.slice(0, i)].join(' '));
  return [...rotations(keys), ...rotations([...keys].reverse())].sort()[0]!;
}

function elementKey(e: SceneElement, grid: number): string {
  switch (e.kind) {
    case 'point': return `point ${e.label ? 'named' : 'dot'} ${qp(e.at, grid)}`;
    case 'segment': return `segment ${[qp(e.from, grid), qp(e.to, grid)].sort().join(' ')}`;
    case 'polyline': {
      const a = e.points.map((p) => qp(p, grid));
      return `polyline ${[a.join(' '), [...a].reverse().join(' ')].sort()[0]}`;
    }
    case 'polygon': return `polygon ${cycle(e.points, grid)}`;
    case 'circle': return `circle ${qp(e.center, grid)} ${q(e.r, grid)}`;
    case 'rect': return `rect ${qp(e.at, grid)} ${q(e.w, grid)} ${q(e.h, grid)}`;
    // Letters are labels (free to rename); numbers are content (axis ticks).
    case 'text': return `text ${/^[A-Z]$/.test(e.text) ? 'label' : e.text} ${qp(e.at, grid)}`;
  }
}

/** Quantised, label-, colour- and order-independent form of a figure: equal strings mean the same layout. */
export function canonicalScene(scene: Scene, grid = CANONICAL_GRID): string {
  return [`${scene.width}x${scene.height}`, ...scene.elements.map((e) => elementKey(e, grid)).sort()].join('|');
}

/** The concept combination a sample exercises (family, knowledge paths, depth). */
export const comboKey = (s: Sample): string => `${s.family}|${[...s.knowledge].sort().join(' + ')}|${s.difficulty}`;

export interface SplitOptions {
  seed: number;
  /** Target share of samples held out (default 0.15). */
  fraction?: number;
  /** Share of distinct concept combinations held out entirely (default 0.1). */
  comboFraction?: number;
}

export interface Split {
  train: Sample[];
  heldOut: Sample[];
  /** Concept combinations that appear only in the held-out pool. */
  heldOutCombos: string[];
  /** Training samples dropped because they duplicated a held-out seed or figure. */
  dropped: { seed: number; twin: number };
}

export function splitHeldOut(samples: readonly Sample[], opts: SplitOptions): Split {
  const fraction = opts.fraction ?? 0.15, comboFraction = opts.comboFraction ?? 0.1;
  if (!(fraction > 0 && fraction < 1)) throw new Error(`split: fraction must be in (0, 1), got ${fraction}`);
  const r = makeRng(opts.seed).fork('split');
  const combos = [...new Set(samples.map(comboKey))].sort();
  const held = new Set(r.shuffle(combos).slice(0, Math.round(combos.length * comboFraction)));
  const heldOut: Sample[] = [];
  const rest: Sample[] = [];
  for (const s of samples) (held.has(comboKey(s)) ? heldOut : rest).push(s);
  // Top up with random samples of other combinations (their combinations also occur in training: that is fine).
  const want = Math.round(samples.length * fraction);
  const order = r.shuffle(rest.map((_, i) => i));
  const extra = new Set(order.slice(0, Math.max(0, want - heldOut.length)));
  rest.forEach((s, i) => extra.has(i) && heldOut.push(s));
  const heldSeeds = new Set(heldOut.map((s) => s.seed));
  const heldScenes = new Set(heldOut.map((s) => hashString(canonicalScene(s.scene))));
  const train: Sample[] = [];
  const dropped = { seed: 0, twin: 0 };
  rest.forEach((s, i) => {
    if (extra.has(i)) return;
    if (heldSeeds.has(s.seed)) dropped.seed++;
    else if (heldScenes.has(hashString(canonicalScene(s.scene))) && heldOut.some((h) => canonicalScene(h.scene) === canonicalScene(s.scene))) dropped.twin++;
    else train.push(s);
  });
  return { train, heldOut, heldOutCombos: [...held].sort(), dropped };
}
