// One record of a benchmark file -> one item, in both layouts (the JSON the official eval scripts read, the Hugging
// Face parquet file, and our own JSON, which is the same shape plus `family` and `truth`).
//
// Two kinds of problem, kept apart on purpose:
//  - ABSENCE is data: a field missing, null, empty, or the string "null" / "None" (what a Python export writes for
//    None). A task lacking its question, its ground truth (annotation image, or IR's answer) is skipped for that
//    item and reported; the item keeps its other tasks. An item without its original image, or without any task,
//    is skipped whole. IR-only items and items with a null answer are thus ordinary.
//  - CORRUPTION is an error: a field of the wrong type, an image path that leads nowhere, bytes that do not decode,
//    a duplicate id. It names file, item and field in one line (BenchFormatError), unless the caller asked to skip
//    broken items (`--skip-broken`), when it is reported like an absence.
import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import { UsageError } from '../cli/usage.ts';
import { decodePng } from '../scene/render.ts';
import type { BenchItem, GeometricTruth, Task } from './types.ts';

/** A task (or, with task null, a whole item) left out of the run, and why. */
export interface SkippedTask {
  index: number;
  id: string;
  /** null: the whole item. */
  task: Task | null;
  field: string;
  reason: string;
}

/** Where a problem is: thrown by the loaders, printed by the commands as one line, exit 2. */
export class BenchFormatError extends UsageError {
  constructor(
    readonly file: string,
    readonly index: number | null,
    readonly itemId: string | null,
    readonly field: string | null,
    problem: string,
  ) {
    const item = index === null ? '' : `: item ${index}${itemId === null ? '' : ` (id ${JSON.stringify(itemId)})`}`;
    super(`${file}${item}${field === null ? '' : `${item ? '' : ':'} field "${field}"`}: ${problem}`);
    this.name = 'BenchFormatError';
  }
}

/** A usage error (a bad option value, a folder that is not there): one line, exit 2. */
export class BenchUsageError extends UsageError {
  override name = 'BenchUsageError';
}

/** Whether a field's value means "not given". */
export function isAbsent(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v !== 'string') return false;
  const t = v.trim().toLowerCase();
  return t === '' || t === 'null' || t === 'none';
}

export const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : v instanceof Uint8Array ? 'bytes' : typeof v);

/** Turns an image field's value into bytes, or says what is wrong with it. */
export type ImageReader = (value: unknown) => Uint8Array | string;

export interface RecordContext {
  file: string;
  index: number;
  image: ImageReader;
  checkImages: boolean;
  /** Report corruption as a skip instead of throwing. */
  skipBroken: boolean;
}

/** Raised inside readRecord for a corrupt field; the caller decides between throwing and skipping. */
class Broken {
  constructor(readonly field: string, readonly problem: string) {}
}

function readTruth(v: unknown): GeometricTruth | undefined {
  if (isAbsent(v)) return undefined;
  const t = v as Partial<GeometricTruth>;
  if (typeof v !== 'object' || Array.isArray(v)) throw new Broken('truth', `expected an object, got ${describe(v)}`);
  if (!(typeof t.width === 'number' && t.width > 0 && typeof t.height === 'number' && t.height > 0)) throw new Broken('truth', 'expected positive numbers width and height');
  if (typeof t.targets !== 'object' || t.targets === null || Array.isArray(t.targets)) throw new Broken('truth.targets', 'expected an object name -> [x, y]');
  for (const [name, p] of Object.entries(t.targets)) {
    if (!Array.isArray(p) || p.length !== 2 || !p.every((n) => typeof n === 'number' && Number.isFinite(n))) throw new Broken(`truth.targets.${name}`, 'expected [x, y] numbers');
  }
  if (!Array.isArray(t.ops) || !t.ops.every((op) => typeof op === 'object' && op !== null && typeof (op as { op?: unknown }).op === 'string')) {
    throw new Broken('truth.ops', 'expected an array of drawing operations ({op: ...})');
  }
  return { width: t.width, height: t.height, targets: t.targets, ops: t.ops };
}

/** The record's own id (string or number), or null when it has none. */
function ownId(rec: Record<string, unknown>): string | null {
  const v = rec.id;
  if (isAbsent(v)) return null;
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  throw new Broken('id', `expected a non-empty string or a number, got ${describe(v)}`);
}

/**
 * An id for a record without one, stable across runs and orderings: the stem of its image path ("images/224.jpg"
 * -> "224"; the official files name images after their items), else a hash of its image and questions.
 */
export function derivedId(rec: Record<string, unknown>): string {
  const image = rec.image;
  if (typeof image === 'string' && !isAbsent(image)) return basename(image, extname(image));
  const h = createHash('sha256');
  if (image instanceof Uint8Array) h.update(image);
  for (const f of ['question_perception', 'question_instruction', 'question_reasoning']) h.update(`\0${String(rec[f] ?? '')}`);
  return `item-${h.digest('hex').slice(0, 12)}`;
}

/** A second record deriving the same id gets a suffix from its questions (and, for exact copies, an ordinal). */
export function disambiguate(id: string, rec: Record<string, unknown>, taken: (id: string) => boolean): string {
  if (!taken(id)) return id;
  const h = createHash('sha256');
  for (const f of ['question_perception', 'question_instruction', 'question_reasoning', 'answer_reasoning']) h.update(`\0${String(rec[f] ?? '')}`);
  const base = `${id}-${h.digest('hex').slice(0, 8)}`;
  let out = base;
  for (let k = 2; taken(out); k++) out = `${base}-${k}`;
  return out;
}

export interface RecordResult {
  item: BenchItem | null;
  skipped: SkippedTask[];
}

/**
 * Reads one record. `id` is the id to use (the record's own, or derived by the caller); throws BenchFormatError on
 * corruption unless ctx.skipBroken.
 */
export function readRecord(rec: Record<string, unknown>, id: string, ctx: RecordContext): RecordResult {
  const skipped: SkippedTask[] = [];
  const skip = (task: Task | null, field: string, reason: string) => skipped.push({ index: ctx.index, id, task, field, reason });
  const guard = <T>(task: Task | null, read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof Broken)) throw error;
      if (!ctx.skipBroken) throw new BenchFormatError(ctx.file, ctx.index, id, error.field, error.problem);
      skip(task, error.field, error.problem);
      return undefined;
    }
  };
  const text = (field: string): string | undefined => {
    const v = rec[field];
    if (isAbsent(v)) return undefined;
    if (typeof v === 'number' || typeof v === 'bigint') return String(v); // numeric answers in some copies
    if (typeof v !== 'string') throw new Broken(field, `expected a string, got ${describe(v)}`);
    return v;
  };
  const image = (field: string): Uint8Array | undefined => {
    const v = rec[field];
    if (isAbsent(v)) return undefined;
    const bytes = ctx.image(v);
    if (typeof bytes === 'string') throw new Broken(field, bytes);
    if (ctx.checkImages) {
      try {
        decodePng(bytes);
      } catch {
        throw new Broken(field, `undecodable image (${bytes.length} bytes; expected PNG, JPEG or WebP)`);
      }
    }
    return bytes;
  };
  /** A task's fields, all present; else the task is skipped, naming the first absent field. */
  const task = <T>(name: Task, fields: string[], read: () => T): T | undefined =>
    guard(name, () => {
      const absent = fields.find((f) => isAbsent(rec[f]));
      if (absent !== undefined) {
        skip(name, absent, 'absent');
        return undefined;
      }
      return read();
    });

  const original = guard(null, () => image('image'));
  if (!original) {
    if (skipped.length === 0) skip(null, 'image', 'absent');
    return { item: null, skipped };
  }
  const perception = task('perception', ['question_perception', 'annotation_perception'], () => {
    const answer = text('answer_perception');
    return { question: text('question_perception')!, annotation: image('annotation_perception')!, ...(answer === undefined ? {} : { answer }) };
  });
  const instruction = task('instruction', ['question_instruction', 'annotation_instruction'], () => {
    const answer = text('answer_instruction');
    return { question: text('question_instruction')!, annotation: image('annotation_instruction')!, ...(answer === undefined ? {} : { answer }) };
  });
  const reasoning = task('reasoning', ['question_reasoning', 'answer_reasoning'], () => ({ question: text('question_reasoning')!, answer: text('answer_reasoning')! }));
  const meta = guard(null, () => ({
    domain: text('domain') ?? 'unknown',
    entity: text('dataset-entity') ?? text('dataset_entity'),
    family: text('family'),
    truth: readTruth(rec.truth),
  }));
  if (!meta) return { item: null, skipped };
  if (!perception && !instruction && !reasoning) {
    skip(null, 'question_*', 'no task has its question and ground truth');
    return { item: null, skipped };
  }
  const item: BenchItem = { id, domain: meta.domain, image: original };
  if (meta.entity !== undefined) item.entity = meta.entity;
  if (meta.family !== undefined) item.family = meta.family;
  if (perception) item.perception = perception;
  if (instruction) item.instruction = instruction;
  if (reasoning) item.reasoning = reasoning;
  if (meta.truth) item.truth = meta.truth;
  return { item, skipped };
}

/** The record's id: its own, else derived; corruption of the id field itself always throws. */
export function recordId(rec: Record<string, unknown>, file: string, index: number): { id: string; own: boolean } {
  try {
    const own = ownId(rec);
    return own === null ? { id: derivedId(rec), own: false } : { id: own, own: true };
  } catch (error) {
    if (error instanceof Broken) throw new BenchFormatError(file, index, null, error.field, error.problem);
    throw error;
  }
}
