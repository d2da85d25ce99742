// General visual questions: the pretrained generalist's stand-in for broad visual QA (counting, locating in words,
// comparing, reading a chart), asked about any flywheel figure and answered directly (no interaction). None of these
// question families occurs in the interactive data: they are what pretraining gives and what SFT on interactive
// trajectories can erode (the paper's MathVision / We-Math ablation, PAPER.md). Every question is a pure function of
// the scene, and a question is asked only when its answer is unambiguous by a margin a 64-px view can resolve.
import type { Pt, Scene, SceneElement } from '../scene/types.ts';
import type { Rng } from '../util/random.ts';

/** Words the general questions use beyond the flywheel grammar's vocabulary (the curriculum tokenizer adds them). */
export const GENERAL_WORDS: readonly string[] = ['there', 'labelled', 'points', 'half', 'tallest'];

export const GENERAL_FAMILIES = [
  'count-labels', 'count-dots', 'count-segments', 'count-bars',
  'leftmost', 'rightmost', 'highest', 'lowest', 'left-of', 'above', 'half', 'nearest-to',
  'tallest-bar', 'shortest-bar',
] as const;
export type GeneralFamily = (typeof GENERAL_FAMILIES)[number];

export interface GeneralQuestion {
  family: GeneralFamily;
  question: string;
  answer: string;
  /** A short direct thought before the answer (the pretraining target's reasoning). */
  thought: string;
}

/** Pixels (scene units, of 128) by which the asked-about quantity must separate the right answer from the next. */
const MARGIN = 6;
/** Counts stay within the vocabulary's numbers (0-20). */
const MAX_COUNT = 20;

interface Labelled { label: string; at: Pt }
interface Bar { label: string; top: number; height: number }

const labelledPoints = (scene: Scene): Labelled[] =>
  scene.elements.flatMap((e) => (e.kind === 'point' && e.label && /^[A-Z]$/.test(e.label) ? [{ label: e.label, at: e.at }] : []));

/** The chart's bars by the letter written under each (a rect whose x range holds the letter's x). */
function bars(scene: Scene): Bar[] {
  const rects = scene.elements.filter((e): e is Extract<SceneElement, { kind: 'rect' }> => e.kind === 'rect');
  return scene.elements.flatMap((t) => {
    if (t.kind !== 'text' || !/^[A-Z]$/.test(t.text)) return [];
    const bar = rects.find((b) => t.at[0] >= b.at[0] && t.at[0] <= b.at[0] + b.w);
    return bar ? [{ label: t.text, top: bar.at[1], height: bar.h }] : [];
  });
}

/** The element that is extreme by `key` (largest), when it leads the runner-up by MARGIN. */
function extreme<T>(items: readonly T[], key: (t: T) => number): T | undefined {
  if (items.length < 2) return undefined;
  const sorted = [...items].sort((a, b) => key(b) - key(a));
  return key(sorted[0]!) - key(sorted[1]!) >= MARGIN ? sorted[0] : undefined;
}

const count = (family: GeneralFamily, what: string, n: number): GeneralQuestion | undefined =>
  n >= 1 && n <= MAX_COUNT ? { family, question: `how many ${what} are there ?`, answer: String(n), thought: `${what} count is ${n}` } : undefined;

/** Every general question the scene supports, one per family (pair families pick their pair with `r`). */
export function generalQuestions(scene: Scene, r: Rng): GeneralQuestion[] {
  const pts = labelledPoints(scene);
  const dots = scene.elements.filter((e) => e.kind === 'point' && !e.label).length;
  const segments = scene.elements.filter((e) => e.kind === 'segment').length;
  const bs = bars(scene);
  const out: (GeneralQuestion | undefined)[] = [];
  out.push(count('count-labels', 'labelled points', pts.length));
  out.push(count('count-dots', 'dots', dots));
  out.push(count('count-segments', 'segments', segments));
  out.push(bs.length >= 2 ? count('count-bars', 'bars', bs.length) : undefined);
  const which = (family: GeneralFamily, word: string, key: (p: Labelled) => number): GeneralQuestion | undefined => {
    const p = extreme(pts, key);
    return p && { family, question: `which point is ${word} ?`, answer: p.label, thought: `${word} point is ${p.label}` };
  };
  out.push(which('leftmost', 'leftmost', (p) => -p.at[0]));
  out.push(which('rightmost', 'rightmost', (p) => p.at[0]));
  out.push(which('highest', 'highest', (p) => -p.at[1]));
  out.push(which('lowest', 'lowest', (p) => p.at[1]));
  if (pts.length >= 2) {
    const [a, b] = r.shuffle(pts).slice(0, 2) as [Labelled, Labelled];
    if (Math.abs(a.at[0] - b.at[0]) >= MARGIN) {
      const yes = a.at[0] < b.at[0];
      out.push({ family: 'left-of', question: `is ${a.label} left of ${b.label} ?`, answer: yes ? 'yes' : 'no', thought: `${yes ? a.label : b.label} is left` });
    }
    const [c, d] = r.shuffle(pts).slice(0, 2) as [Labelled, Labelled];
    if (Math.abs(c.at[1] - d.at[1]) >= MARGIN) {
      const yes = c.at[1] < d.at[1];
      out.push({ family: 'above', question: `is ${c.label} above ${d.label} ?`, answer: yes ? 'yes' : 'no', thought: `${yes ? c.label : d.label} is above` });
    }
    const p = r.pick(pts);
    const mid = scene.width / 2;
    if (Math.abs(p.at[0] - mid) >= 2 * MARGIN) {
      const side = p.at[0] < mid ? 'left' : 'right';
      out.push({ family: 'half', question: `is ${p.label} in the left half or the right half ?`, answer: side, thought: `${p.label} is ${side}` });
    }
  }
  if (pts.length >= 3) {
    const p = r.pick(pts);
    const q = extreme(pts.filter((x) => x !== p), (x) => -Math.hypot(x.at[0] - p.at[0], x.at[1] - p.at[1]));
    if (q) out.push({ family: 'nearest-to', question: `which point is nearest to ${p.label} ?`, answer: q.label, thought: `${q.label} is nearest` });
  }
  const tall = extreme(bs, (b) => b.height), short = extreme(bs, (b) => -b.height);
  if (tall) out.push({ family: 'tallest-bar', question: 'which bar is tallest ?', answer: tall.label, thought: `bar ${tall.label} is tallest` });
  if (short) out.push({ family: 'shortest-bar', question: 'which bar is shortest ?', answer: short.label, thought: `bar ${short.label} is shortest` });
  return out.filter((q): q is GeneralQuestion => q !== undefined);
}
