// Judging outputs produced elsewhere (by our policy, or any model run on the benchmark), and writing oracle and
// perturbed outputs to test the judges end to end.
//
// Outputs folder layout, one set of files per item (the stem is the item id with characters outside
// [A-Za-z0-9._-] replaced by _, as fileStem does):
//   <stem>.perception.png    the image returned for the perception task (the original with the point(s) marked)
//   <stem>.perception.txt    optional: the response text; its <code> blocks feed the geometric cross-check
//   <stem>.instruction.png   the image returned for the IGI task (the original with the construction drawn)
//   <stem>.instruction.txt   optional, as for perception
//   <stem>.reasoning.txt     the response text of the IR task; the answer is its <answer>...</answer>, else the last line
// A missing file scores 0 and is counted as missing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatProgram } from '../scene/drawlang.ts';
import { applyOps, decodePng, encodePng, type RasterImage } from '../scene/render.ts';
import type { DrawOp } from '../scene/types.ts';
import { parseAnswer } from '../policy/answer.ts';
import { rng as makeRng } from '../util/random.ts';
import { defaultJudges, geometricJudge, INSTRUCTION_JUDGE, type Judge, PERCEPTION_JUDGE, type TaskOutput, toleranceFor, type Verdict } from './judges.ts';
import { fileStem, type LoadOptions, readBench, type SkippedTask } from './layout.ts';
import { BenchUsageError } from './records.ts';
import { mapPool } from '../util/pool.ts';
import { changeMask } from './pixels.ts';
import { type ScoredRow, summarize, type TaskSummary } from './score.ts';
import { annotationOf, type BenchItem, type Task, TASKS } from './types.ts';

export interface JudgedRow extends ScoredRow {
  reasons: string[];
  metrics?: Record<string, number>;
  /** No output for this (item, task). */
  missing: boolean;
  /** The judge that gave `score`. */
  judge: string;
  /** The judge could not decide (model judge): scored 0, counted in report.judgeFailures. */
  failed?: boolean;
  /** What a model judge said (its reply; for IR the answer it extracted). */
  details?: Record<string, string>;
  /** With two judges (`--judge both`): the other judge's verdict, never the score. */
  second?: Verdict & { judge: string };
  /** The geometric judge's verdict, when the item has truth and the response text has code (a cross-check only). */
  geometric?: Verdict;
}

type Agreement = { agree: number; total: number };

export interface JudgeReport {
  rows: JudgedRow[];
  summary: Record<Task, TaskSummary>;
  missing: Record<Task, number>;
  /** Image vs geometric judge, where both ran: how often they agree. */
  agreement: Record<'perception' | 'instruction', Agreement>;
  /** Verdicts the judge could not give (unreadable model replies, failed requests), per task. */
  judgeFailures: Record<Task, number>;
  /** With two judges: the second judge's summary and, per task, how often the two agree (rows both decided). */
  second?: { judge: string; summary: Record<Task, TaskSummary>; agreement: Record<Task, Agreement> };
  /** Tasks and items the loader left out (absent or, with skipBroken, broken data). */
  skipped: SkippedTask[];
}

/** Where a judge finds the output of (item, task): null when there is none. */
export type OutputReader = (item: BenchItem, task: Task) => TaskOutput | null;

export interface JudgeOptions {
  /** Replace the default judge of a task (e.g. a model judge). */
  judges?: Partial<Record<Task, Judge>>;
  /** A second judge per task whose verdicts are reported beside the first (and their agreement), never scored. */
  secondJudges?: Partial<Record<Task, Judge>>;
  /** Run the geometric cross-check where possible (default true). */
  crossCheck?: boolean;
  /** Judgements in flight at once (default 1; a model judge behind a server wants more). */
  concurrency?: number;
  /** What the loader left out, carried into the report. */
  skipped?: SkippedTask[];
  onProgress?: (done: number, total: number) => void;
}

/** Reads the outputs folder layout (see the top of this file). */
export function outputsFolder(dir: string): OutputReader {
  if (!existsSync(dir)) throw new BenchUsageError(`outputs folder ${dir} not found`);
  return (item, task) => {
    const stem = join(dir, `${fileStem(item.id)}.${task}`);
    const out: TaskOutput = {};
    if (task !== 'reasoning' && existsSync(`${stem}.png`)) out.image = readFileSync(`${stem}.png`);
    if (existsSync(`${stem}.txt`)) out.text = readFileSync(`${stem}.txt`, 'utf8');
    const present = task === 'reasoning' ? out.text !== undefined : out.image !== undefined;
    return present ? out : null;
  };
}

const noAgreement = (): Record<Task, Agreement> => ({ perception: { agree: 0, total: 0 }, instruction: { agree: 0, total: 0 }, reasoning: { agree: 0, total: 0 } });

/**
 * Judges every task each item has, from `outputs` (a folder in the outputs layout, or a reader). A judge that
 * throws on an item is a broken item: the error names it.
 */
export async function judgeItems(items: readonly BenchItem[], outputs: string | OutputReader, options: JudgeOptions = {}): Promise<JudgeReport> {
  const read = typeof outputs === 'string' ? outputsFolder(outputs) : outputs;
  const judges = { ...defaultJudges(), ...options.judges };
  const second = options.secondJudges;
  const geo = { perception: geometricJudge('perception'), instruction: geometricJudge('instruction') };
  const jobs = items.flatMap((item) => TASKS.filter((task) => item[task] !== undefined).map((task) => ({ item, task })));
  const missing = { perception: 0, instruction: 0, reasoning: 0 };
  const judgeFailures = { perception: 0, instruction: 0, reasoning: 0 };
  const agreement = { perception: { agree: 0, total: 0 }, instruction: { agree: 0, total: 0 } };
  const secondAgreement = noAgreement();
  let done = 0;
  const rows = await mapPool(jobs, options.concurrency ?? 1, async ({ item, task }): Promise<JudgedRow> => {
    const base = { id: item.id, domain: item.domain, ...(item.entity === undefined ? {} : { entity: item.entity }), task, judge: judges[task].name };
    // Decoded canvases are freed only when the event loop turns (scene/raster.ts); a sync judge never turns it.
    if (++done % 16 === 0) await new Promise<void>((r) => setImmediate(r));
    const output = read(item, task);
    options.onProgress?.(done, jobs.length);
    if (!output) {
      missing[task]++;
      return { ...base, score: 0, reasons: ['no output'], missing: true };
    }
    const run = async (judge: Judge): Promise<Verdict> => {
      try {
        return await judge.judge(item, output);
      } catch (error) {
        throw new Error(`judge: item ${item.id}, task ${task}: ${(error as Error).message}`);
      }
    };
    const verdict = await run(judges[task]);
    const row: JudgedRow = { ...base, score: verdict.score, reasons: verdict.reasons, missing: false };
    if (verdict.metrics) row.metrics = verdict.metrics;
    if (verdict.details) row.details = verdict.details;
    if (verdict.failed) (row.failed = true), judgeFailures[task]++;
    const other = second?.[task];
    if (other) {
      const v = await run(other);
      row.second = { ...v, judge: other.name };
      if (!v.failed && !verdict.failed) {
        secondAgreement[task].total++;
        if (v.score === verdict.score) secondAgreement[task].agree++;
      }
    }
    if (task !== 'reasoning' && (options.crossCheck ?? true) && item.truth && output.text !== undefined) {
      row.geometric = await geo[task].judge(item, output);
      agreement[task].total++;
      if (row.geometric.score === verdict.score) agreement[task].agree++;
    }
    return row;
  });
  const report: JudgeReport = { rows, summary: summarize(rows), missing, agreement, judgeFailures, skipped: options.skipped ?? [] };
  if (second) {
    // Rows without an output have no second verdict: they are 0 for both judges.
    const secondRows = rows.map((r) => ({ ...r, score: r.second?.score ?? 0 }));
    const name = Object.values(second)[0]?.name.replace(/-(perception|instruction|reasoning)$/, '') ?? 'second';
    report.second = { judge: name, summary: summarize(secondRows), agreement: secondAgreement };
  }
  return report;
}

/** Judges the outputs in `outputsDir` against a benchmark file (JSON layout or parquet): `vthinker judge --bench FILE --outputs DIR`. */
export async function judgeOutputs(benchFile: string, outputsDir: string, options: JudgeOptions & LoadOptions = {}): Promise<JudgeReport> {
  const bench = await readBench(benchFile, options);
  return judgeItems(bench.items, outputsDir, { ...options, skipped: [...(options.skipped ?? []), ...bench.skipped] });
}

// ---- oracle and perturbed outputs ----

const marksOf = (item: BenchItem): DrawOp[] => Object.values(item.truth!.targets).map((at) => ({ op: 'point', at }));

function trajectory(thought: string, ops: DrawOp[] | null, answer: string): string {
  const call = ops ? ` <code> ${formatProgram(ops)} </code> <sandbox_output> <image> </sandbox_output>` : '';
  return `<think> ${thought}${call} </think> <answer> ${answer} </answer>`;
}

function write(dir: string, item: BenchItem, task: Task, files: { png?: RasterImage | Uint8Array; txt?: string }): void {
  const stem = join(dir, `${fileStem(item.id)}.${task}`);
  if (files.png) writeFileSync(`${stem}.png`, files.png instanceof Uint8Array ? files.png : encodePng(files.png));
  if (files.txt !== undefined) writeFileSync(`${stem}.txt`, files.txt);
}

/**
 * Outputs derived from the ground truth, which every judge must score 1: with geometric truth, the construction
 * drawn onto the original by the sandbox's applyOps plus a response whose code is that construction; without it,
 * the annotation images themselves. IR: the gold answer in <answer> tags.
 */
export function renderOracleOutputs(items: readonly BenchItem[], dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const item of items) {
    const t = item.truth;
    if (t) {
      const original = decodePng(item.image);
      const size = { width: t.width, height: t.height };
      const marks = marksOf(item);
      if (item.perception) write(dir, item, 'perception', { png: applyOps(original, marks, size), txt: trajectory('mark the point', marks, Object.keys(t.targets).join(' ')) });
      if (item.instruction) write(dir, item, 'instruction', { png: applyOps(original, t.ops, size), txt: trajectory('draw it', t.ops, 'done') });
    } else {
      if (item.perception) write(dir, item, 'perception', { png: item.perception.annotation });
      if (item.instruction) write(dir, item, 'instruction', { png: item.instruction.annotation });
    }
    if (item.reasoning) write(dir, item, 'reasoning', { txt: trajectory('oracle', null, item.reasoning.answer) });
  }
}

/** Ways to spoil an output, each of which the judges must score 0. */
export type Perturbation = 'blank' | 'shift' | 'scribble' | 'half';
export const PERTURBATIONS: readonly Perturbation[] = ['blank', 'shift', 'scribble', 'half'];

/** A different answer of the same kind: yes <-> no, n -> n + 1, label -> next label, text -> "not ...". */
export function wrongAnswer(gold: string): string {
  const v = parseAnswer(gold);
  switch (v.kind) {
    case 'bool': return v.value ? 'no' : 'yes';
    case 'number': return String(v.value + 1);
    case 'label': return v.value === 'Z' ? 'A' : String.fromCharCode(v.value.charCodeAt(0) + 1);
    case 'text': return `not ${gold}`;
  }
}

/** The annotation's edit moved by (dx, dy) pixels onto the original (image space, so it needs no geometric truth). */
function moveEdit(original: RasterImage, annotation: RasterImage, dx: number, dy: number, keep: (x: number, y: number) => boolean = () => true): RasterImage {
  const mask = changeMask(original, annotation, PERCEPTION_JUDGE.changeThreshold);
  const out = { width: original.width, height: original.height, data: new Uint8ClampedArray(original.data) };
  for (let y = 0; y < original.height; y++) {
    for (let x = 0; x < original.width; x++) {
      const tx = x + dx, ty = y + dy;
      if (!mask.data[y * original.width + x] || !keep(x, y) || tx < 0 || ty < 0 || tx >= original.width || ty >= original.height) continue;
      const s = 4 * (y * original.width + x), t = 4 * (ty * original.width + tx);
      for (let c = 0; c < 4; c++) out.data[t + c] = annotation.data[s + c]!;
    }
  }
  return out;
}

/**
 * The edit moved by `d` pixels across its principal axis (a line moved along itself would still match), towards the
 * image centre so it stays on the canvas.
 */
function shiftAcross(original: RasterImage, annotation: RasterImage, d: number): RasterImage {
  const m = changeMask(original, annotation, PERCEPTION_JUDGE.changeThreshold);
  const w = original.width;
  let mx = 0, my = 0;
  for (let i = 0; i < m.data.length; i++) if (m.data[i]) (mx += i % w), (my += Math.floor(i / w));
  mx /= m.count, my /= m.count;
  let sxx = 0, syy = 0, sxy = 0;
  for (let i = 0; i < m.data.length; i++) {
    if (!m.data[i]) continue;
    const x = (i % w) - mx, y = Math.floor(i / w) - my;
    (sxx += x * x), (syy += y * y), (sxy += x * y);
  }
  const theta = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  let ux = -Math.sin(theta), uy = Math.cos(theta);
  if (ux * (w / 2 - mx) + uy * (original.height / 2 - my) < 0) (ux = -ux), (uy = -uy);
  return moveEdit(original, annotation, Math.round(d * ux), Math.round(d * uy));
}

/**
 * Lines all over the image, seeded per item: enough that their length is about three times the edit's pixel count
 * (a large shaded region would otherwise dilute a dozen lines into a pass).
 */
function scribble(original: RasterImage, annotation: RasterImage, seed: string): RasterImage {
  const r = makeRng(seed);
  const side = Math.max(annotation.width, annotation.height);
  const edit = changeMask(original, annotation, PERCEPTION_JUDGE.changeThreshold).count;
  const n = Math.min(200, Math.max(12, Math.ceil((3 * edit) / (0.5 * side))));
  const p = (): [number, number] => [r.int(0, annotation.width - 1), r.int(0, annotation.height - 1)];
  const ops: DrawOp[] = Array.from({ length: n }, () => ({ op: 'line', from: p(), to: p() }));
  return applyOps(annotation, ops, { width: annotation.width, height: annotation.height });
}

/**
 * Perturbed outputs of one kind (image tasks from the annotations, so real items work too), which score 0:
 * blank = the original returned / no answer; shift = the ground-truth edit moved 3 tolerances away / a wrong
 * answer; scribble = the ground-truth edit plus lines all over / a wrong answer; half = IGI: one half of the
 * ground-truth edit only (split across its longer extent) / a wrong answer, while perception keeps the annotation
 * (half a dot lies within tolerance of the whole dot, so it must pass). No response text: these test the image
 * judge alone.
 */
export function renderPerturbedOutputs(items: readonly BenchItem[], dir: string, kind: Perturbation): void {
  mkdirSync(dir, { recursive: true });
  for (const item of items) {
    const original = decodePng(item.image);
    for (const task of ['perception', 'instruction'] as const) {
      if (!item[task]) continue;
      const annotation = decodePng(annotationOf(item, task));
      const tol = toleranceFor(task === 'perception' ? PERCEPTION_JUDGE : INSTRUCTION_JUDGE, Math.max(original.width, original.height));
      let png: RasterImage;
      if (kind === 'blank') png = original;
      else if (kind === 'shift') {
        png = shiftAcross(original, annotation, Math.ceil(3 * tol));
      } else if (kind === 'scribble') png = scribble(original, annotation, `${item.id} ${task}`);
      else if (task === 'perception') png = annotation; // one mark is within tolerance of its own half: see above
      else {
        // Split across the edit's longer extent, so a lone vertical line loses half its length, not half its width.
        const m = changeMask(original, annotation, PERCEPTION_JUDGE.changeThreshold);
        let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
        for (let i = 0; i < m.data.length; i++) {
          if (!m.data[i]) continue;
          const x = i % original.width, y = (i - x) / original.width;
          x0 = Math.min(x0, x), x1 = Math.max(x1, x), y0 = Math.min(y0, y), y1 = Math.max(y1, y);
        }
        png = moveEdit(original, annotation, 0, 0, x1 - x0 >= y1 - y0 ? (x) => x < (x0 + x1) / 2 : (_, y) => y < (y0 + y1) / 2);
      }
      write(dir, item, task, { png });
    }
    if (item.reasoning) write(dir, item, 'reasoning', { txt: kind === 'blank' ? '<think> I am not sure </think>' : trajectory('guess', null, wrongAnswer(item.reasoning.answer)) });
  }
}
