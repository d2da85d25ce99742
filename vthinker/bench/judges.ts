// The judges: one interface, three deterministic implementations (image edits, geometry, answers). A model judge
// (the paper's GPT-style judge) plugs in behind the same interface: see model-judge.ts.
//
// Image edit judge (Perception and IGI), after the paper's judge, which compares [original, generated, ground
// truth]: the model's edit is the set of pixels its image changed from the original, the ground-truth edit the set
// the annotation changed. Change is a colour distance above a threshold, never a colour test, so the judge works on
// the public release's PNGs whose marks are in arbitrary colours. Score 1 iff
//   - something changed (at least minChangedPx pixels): no credit for returning the original;
//   - coverage: at least minCoverage of the ground-truth edit lies within the tolerance of the model's edit, overall
//     and in every connected part of it (a missing point or a missing line fails even when the rest is perfect);
//   - precision: at least minPrecision of the model's changed pixels lie within the tolerance of the ground-truth
//     edit (extra marks are allowed only up to a point; scribbling everywhere fails).
// The tolerance is given in pixels of a 128-pixel reference side (the side our figures are rendered at) and scales
// with the image's longer side, so one setting serves our renders and full-size release images alike.
import { parseProgram } from '../scene/drawlang.ts';
import { decodePng, type RasterImage } from '../scene/render.ts';
import type { DrawOp, Pt } from '../scene/types.ts';
import { answersEqual } from '../policy/answer.ts';
import { bracedGroup } from '../policy/latex.ts';
import { parseTrajectory } from '../policy/trajectory.ts';
import { changeMask, components, distanceTo, resizeRaster } from './pixels.ts';
import { annotationOf, type BenchItem, type Task } from './types.ts';

/** What a model produced for one task of one item. */
export interface TaskOutput {
  /** Perception / IGI: the image the model returned (decoded, or encoded bytes). */
  image?: RasterImage | Uint8Array;
  /** The model's response text: where IR's answer is read, and perception / IGI code for the geometric judge. */
  text?: string;
}

export interface Verdict {
  score: 0 | 1;
  /** Human-readable grounds, first the decisive one. */
  reasons: string[];
  /** Numbers behind the decision (coverage, precision, ...), for reports and threshold studies. */
  metrics?: Record<string, number>;
  /** The judge could not decide (a model judge's unreadable reply or failed request): scored 0, counted apart. */
  failed?: boolean;
  /** What a model judge said, and for IR the answer it extracted. */
  details?: Record<string, string>;
}

/**
 * A judge of one task. May be asynchronous (a model judge calls a server). Must not throw on bad model output: a
 * missing or broken output is a 0 with a reason. It may throw on a broken item.
 */
export interface Judge {
  readonly name: string;
  readonly task: Task;
  judge(item: BenchItem, output: TaskOutput): Verdict | Promise<Verdict>;
}

export interface EditJudgeOptions {
  /** Spatial tolerance in pixels at `referenceSide` (scaled to the image's longer side). */
  tolerancePx: number;
  /** Side the tolerance is expressed at; null for absolute pixels. */
  referenceSide: number | null;
  /** RGB distance (0..441) above which a pixel counts as changed. */
  changeThreshold: number;
  /** Share of the ground-truth edit (overall and per part) the model's edit must cover within the tolerance. */
  minCoverage: number;
  /** Share of the model's changed pixels that must lie within the tolerance of the ground-truth edit. */
  minPrecision: number;
  /** Fewer changed pixels than this counts as no edit. */
  minChangedPx: number;
  /** Ground-truth parts smaller than this (pixels) are noise, not parts that must be covered. */
  minPartPx: number;
}

/**
 * Perception: 5 px at 128 (about 4% of the side, 2 dot radii): a mark on the right point passes, a mark on a
 * neighbouring point (our figures keep points 10+ px apart) does not. The paper: "moderate pixel tolerance".
 */
export const PERCEPTION_JUDGE: EditJudgeOptions = {
  tolerancePx: 5, referenceSide: 128, changeThreshold: 40, minCoverage: 0.9, minPrecision: 0.75, minChangedPx: 2, minPartPx: 3,
};

/**
 * IGI: 8 px at 128 (about 6% of the side): the paper uses a broader spatial tolerance for drawings, whose endpoints
 * and angles a model places less exactly than one point. A construction through the wrong point (10+ px off) fails.
 */
export const INSTRUCTION_JUDGE: EditJudgeOptions = { ...PERCEPTION_JUDGE, tolerancePx: 8 };

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function raster(img: RasterImage | Uint8Array): RasterImage {
  return img instanceof Uint8Array ? decodePng(img) : img;
}

/** Scales the reference tolerance to an image or canvas whose longer side is `side`. */
export function toleranceFor(options: EditJudgeOptions, side: number): number {
  return options.referenceSide === null ? options.tolerancePx : (options.tolerancePx * side) / options.referenceSide;
}

/** Whether two sizes have the same shape (aspect within 2%): then only the scale differs. */
function sameShape(a: RasterImage, b: RasterImage): boolean {
  return Math.abs(a.width / a.height - b.width / b.height) / (b.width / b.height) <= 0.02;
}

/**
 * The image comparison itself: original, the model's image, the ground-truth annotation. An output at another scale
 * than the original is compared at its own scale, against the original and annotation resampled to it (a model
 * that returns a rescaled image rescaled the original, so the resampled original matches its unchanged pixels).
 */
export function compareEdits(source: RasterImage, generated: RasterImage, annotation: RasterImage, options: EditJudgeOptions): Verdict {
  const reasons: string[] = [];
  if (!sameShape(annotation, source)) throw new Error(`the annotation is ${annotation.width}x${annotation.height}, not the original's shape ${source.width}x${source.height}`);
  if (!sameShape(generated, source)) return { score: 0, reasons: [`the output is ${generated.width}x${generated.height}, not the original's shape ${source.width}x${source.height}`] };
  const { width, height } = generated;
  const original = resizeRaster(source, width, height);
  const ann = resizeRaster(annotation, width, height);
  const gen = generated;
  if (original !== source) reasons.push(`compared at the output's ${width}x${height}, the original being ${source.width}x${source.height}`);
  const tol = toleranceFor(options, Math.max(original.width, original.height));
  const gt = changeMask(original, ann, options.changeThreshold);
  if (gt.count === 0) throw new Error('the ground-truth annotation does not differ from the original (a broken item)');
  const model = changeMask(original, gen, options.changeThreshold);
  const base = { gtPx: gt.count, modelPx: model.count, tolerancePx: tol };
  if (model.count < options.minChangedPx) {
    return { score: 0, reasons: ['nothing changed: the output is the original image', ...reasons], metrics: { ...base, coverage: 0, worstPart: 0, precision: 0 } };
  }
  const toModel = distanceTo(model);
  const toGt = distanceTo(gt);
  const { labels, sizes } = components(gt);
  const hit = new Array<number>(sizes.length).fill(0);
  let covered = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] && toModel[i]! <= tol) {
      covered++;
      hit[labels[i]!]!++;
    }
  }
  let near = 0;
  for (let i = 0; i < model.data.length; i++) if (model.data[i] && toGt[i]! <= tol) near++;
  const coverage = covered / gt.count;
  const parts = sizes.map((s, k) => ({ k, s, c: k === 0 ? 1 : hit[k]! / s })).filter((p) => p.k > 0 && p.s >= options.minPartPx);
  const worstPart = parts.length ? Math.min(...parts.map((p) => p.c)) : coverage;
  const precision = near / model.count;
  const metrics = { ...base, coverage, worstPart, precision, parts: parts.length };
  const fails: string[] = [];
  if (coverage < options.minCoverage) fails.push(`coverage ${pct(coverage)} of the ground-truth edit within ${tol.toFixed(1)} px < ${pct(options.minCoverage)}: wrong place or missing`);
  else if (worstPart < options.minCoverage) fails.push(`a part of the ground-truth edit is missing (its coverage ${pct(worstPart)} < ${pct(options.minCoverage)})`);
  if (precision < options.minPrecision) fails.push(`precision ${pct(precision)} of the changed pixels near the ground truth < ${pct(options.minPrecision)}: extra or misplaced marks`);
  if (fails.length) return { score: 0, reasons: [...fails, ...reasons], metrics };
  return { score: 1, reasons: [`matches: coverage ${pct(coverage)}, precision ${pct(precision)} within ${tol.toFixed(1)} px`, ...reasons], metrics };
}

/** The image edit judge of a task (perception: annotation_perception; instruction: annotation_instruction). */
export function editJudge(task: 'perception' | 'instruction', options: Partial<EditJudgeOptions> = {}): Judge {
  const opts: EditJudgeOptions = { ...(task === 'perception' ? PERCEPTION_JUDGE : INSTRUCTION_JUDGE), ...options };
  return {
    name: `edit-${task}`,
    task,
    judge(item, output) {
      if (!output.image) return { score: 0, reasons: ['no output image'] };
      let generated: RasterImage;
      try {
        generated = raster(output.image);
      } catch (error) {
        return { score: 0, reasons: [`the output image is undecodable: ${(error as Error).message}`] };
      }
      return compareEdits(raster(item.image), generated, raster(annotationOf(item, task)), opts);
    },
  };
}

// ---- geometric judge ----

/** Points along an operation's drawn geometry (spacing in canvas units); polygons include their interior. */
export function samplesOf(op: DrawOp, width: number, height: number, step = 0.5): Pt[] {
  const along = (a: Pt, b: Pt): Pt[] => {
    const n = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / step));
    return Array.from({ length: n + 1 }, (_, i) => [a[0] + ((b[0] - a[0]) * i) / n, a[1] + ((b[1] - a[1]) * i) / n] as Pt);
  };
  switch (op.op) {
    case 'point':
      return [op.at];
    case 'line':
      return along(op.from, op.to);
    case 'ray': {
      const [x0, y0] = op.from, dx = op.through[0] - x0, dy = op.through[1] - y0;
      if (dx === 0 && dy === 0) return [op.from];
      // Largest t keeping from + t * d inside the canvas.
      const ts = [dx > 0 ? (width - x0) / dx : dx < 0 ? -x0 / dx : Infinity, dy > 0 ? (height - y0) / dy : dy < 0 ? -y0 / dy : Infinity];
      const t = Math.max(0, Math.min(...ts));
      return along(op.from, [x0 + t * dx, y0 + t * dy]);
    }
    case 'circle': {
      const n = Math.max(8, Math.ceil((2 * Math.PI * op.r) / step));
      return Array.from({ length: n }, (_, i) => [op.center[0] + op.r * Math.cos((2 * Math.PI * i) / n), op.center[1] + op.r * Math.sin((2 * Math.PI * i) / n)] as Pt);
    }
    case 'polygon': {
      const ps = op.points;
      const outline = ps.flatMap((p, i) => along(p, ps[(i + 1) % ps.length]!));
      const xs = ps.map((p) => p[0]), ys = ps.map((p) => p[1]);
      const inside: Pt[] = [];
      const grid = 4 * step;
      for (let y = Math.min(...ys); y <= Math.max(...ys); y += grid) {
        for (let x = Math.min(...xs); x <= Math.max(...xs); x += grid) if (pointInPolygon([x, y], ps)) inside.push([x, y]);
      }
      return [...outline, ...inside];
    }
    case 'crop':
      return [];
  }
}

function pointInPolygon(p: Pt, ps: readonly Pt[]): boolean {
  let inside = false;
  for (let i = 0, j = ps.length - 1; i < ps.length; j = i++) {
    const [xi, yi] = ps[i]!, [xj, yj] = ps[j]!;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function nearest(p: Pt, set: readonly Pt[]): number {
  let best = Infinity;
  for (const q of set) best = Math.min(best, (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2);
  return Math.sqrt(best);
}

/** The drawing operations in a response: every complete <code> block (each call edits the previous view), else the whole text. */
export function codeOps(text: string, width: number, height: number): { ok: true; ops: DrawOp[] } | { ok: false; error: string } {
  const codes = parseTrajectory(text).codes;
  const ops: DrawOp[] = [];
  for (const [i, code] of (codes.length ? codes : [text]).entries()) {
    const parsed = parseProgram(code, { width, height });
    if (!parsed.ok) return { ok: false, error: `code block ${i + 1}: ${parsed.error}` };
    ops.push(...parsed.ops);
  }
  return { ok: true, ops };
}

/**
 * Geometric judge: the same decision as the image judge, on geometry instead of pixels. Ground truth = the targets
 * (perception) or the overlay operations (IGI) of `item.truth`; the model's geometry = the operations parsed from its
 * code. Coverage is per ground-truth operation or target (each must be covered), precision over the model's samples.
 * Needs `item.truth` and the response text; used to cross-check the image judge.
 */
export function geometricJudge(task: 'perception' | 'instruction', options: Partial<EditJudgeOptions> = {}): Judge {
  const opts: EditJudgeOptions = { ...(task === 'perception' ? PERCEPTION_JUDGE : INSTRUCTION_JUDGE), ...options };
  return {
    name: `geometric-${task}`,
    task,
    judge(item, output) {
      const truth = item.truth;
      if (!truth) throw new Error(`item ${item.id} has no geometric truth`);
      if (output.text === undefined) return { score: 0, reasons: ['no response text to read code from'] };
      const { width, height } = truth;
      const parsed = codeOps(output.text, width, height);
      if (!parsed.ok) return { score: 0, reasons: [`the code does not parse: ${parsed.error}`] };
      if (parsed.ops.length === 0) return { score: 0, reasons: ['no drawing operations: nothing changed'] };
      if (parsed.ops.some((op) => op.op === 'crop')) return { score: 0, reasons: ['the code zooms (crop): the view no longer matches the original'] };
      const tol = toleranceFor(opts, Math.max(width, height));
      const parts: Pt[][] = task === 'perception' ? Object.values(truth.targets).map((p) => [p as Pt]) : truth.ops.map((op) => samplesOf(op, width, height));
      const gt = parts.flat();
      const model = parsed.ops.flatMap((op) => samplesOf(op, width, height));
      const partCoverage = parts.map((ps) => ps.filter((p) => nearest(p, model) <= tol).length / ps.length);
      const coverage = gt.filter((p) => nearest(p, model) <= tol).length / gt.length;
      const worstPart = Math.min(...partCoverage);
      const precision = model.filter((p) => nearest(p, gt) <= tol).length / model.length;
      const metrics = { coverage, worstPart, precision, tolerancePx: tol, ops: parsed.ops.length };
      const fails: string[] = [];
      if (worstPart < opts.minCoverage) fails.push(`ground-truth ${task === 'perception' ? 'target' : 'operation'} ${partCoverage.indexOf(worstPart) + 1} is not matched within ${tol.toFixed(1)} (coverage ${pct(worstPart)})`);
      if (precision < opts.minPrecision) fails.push(`precision ${pct(precision)} of the drawn geometry near the ground truth < ${pct(opts.minPrecision)}`);
      if (fails.length) return { score: 0, reasons: fails, metrics };
      return { score: 1, reasons: [`geometry matches: coverage ${pct(coverage)}, precision ${pct(precision)}`], metrics };
    },
  };
}

// ---- answers ----

/**
 * The final answer in a response: the last <answer>...</answer>, else a last-line heuristic (the last \boxed{...},
 * else the last non-empty line without tags, less an "answer:" / "the answer is" lead-in). Null when there is none.
 */
export function extractAnswer(text: string): string | null {
  const tagged = parseTrajectory(text).answer;
  if (tagged !== null) return tagged;
  // Brace-matched, so \boxed{2\sqrt{3}} gives 2\sqrt{3}.
  const boxed = text.lastIndexOf('\\boxed{');
  if (boxed >= 0) return bracedGroup(text, boxed + 6).body.trim();
  const lines = text.replace(/<\/?[a-z_]+>/gi, '\n').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (!lines.length) return null;
  const last = lines[lines.length - 1]!;
  const lead = /^(?:.*?\b)?(?:final answer|answer)\s*(?:is|:|=)\s*(.+)$/i.exec(last);
  return (lead ? lead[1]! : last).trim();
}

/** IR's gold answer; throws when the item has no IR task (judges only see tasks an item has). */
export function goldAnswer(item: BenchItem): string {
  if (!item.reasoning) throw new Error(`item ${item.id} has no reasoning task`);
  return item.reasoning.answer;
}

/** Interactive Reasoning: the extracted answer must equal the gold one (answersEqual: yes/Yes/yes., 3 = 3.0, ...). */
export function answerJudge(): Judge {
  return {
    name: 'answer-reasoning',
    task: 'reasoning',
    judge(item, output) {
      const gold = goldAnswer(item);
      if (output.text === undefined) return { score: 0, reasons: ['no response text'] };
      const answer = extractAnswer(output.text);
      if (answer === null) return { score: 0, reasons: ['no answer found in the response'] };
      const ok = answersEqual(answer, gold);
      return { score: ok ? 1 : 0, reasons: [`${ok ? 'equal' : 'not equal'}: answered ${JSON.stringify(answer)}, gold ${JSON.stringify(gold)}`], details: { extracted: answer } };
    },
  };
}

/** The default (deterministic) judge of each task. */
export function defaultJudges(options: { perception?: Partial<EditJudgeOptions>; instruction?: Partial<EditJudgeOptions> } = {}): Record<Task, Judge> {
  return { perception: editJudge('perception', options.perception), instruction: editJudge('instruction', options.instruction), reasoning: answerJudge() };
}
