// The benchmark on disk. Two layouts, one item shape:
//  - LOCAL JSON (ours, and the shape of a local copy of the release): a JSON array of records with the release's
//    field names, image fields holding paths relative to the JSON file (we write PNGs to images/ beside it), plus
//    our optional `family` and `truth` fields;
//  - the public release's PARQUET file: the same field names, image columns as bytes, either raw binary or the
//    {bytes, path} structs Hugging Face datasets write.
// Loaders check every record and fail on the first problem with a message naming the file, the item (index and
// id) and the field.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { decodePng } from '../scene/render.ts';
import type { BenchItem, GeometricTruth } from './types.ts';

/** One record of the release layout (image fields are paths in JSON, bytes in parquet). */
export interface BenchRecord {
  id: string;
  image: string;
  question_perception: string;
  annotation_perception: string;
  question_instruction: string;
  annotation_instruction: string;
  answer_instruction: string;
  question_reasoning: string;
  answer_reasoning: string;
  domain: string;
  family?: string;
  truth?: GeometricTruth;
}

const IMAGE_FIELDS = ['image', 'annotation_perception', 'annotation_instruction'] as const;
const TEXT_FIELDS = ['question_perception', 'question_instruction', 'answer_instruction', 'question_reasoning', 'answer_reasoning'] as const;
type ImageField = (typeof IMAGE_FIELDS)[number];

/** The file-name stem of an item id (benchmark images and model outputs alike): unsafe characters become _. */
export const fileStem = (id: string): string => id.replace(/[^A-Za-z0-9._-]/g, '_');

/**
 * Writes `items` as a JSON array at `file`, images as PNG files in an `images/` folder beside it (named from the id
 * and the field). Returns the records written.
 */
export function writeBenchJson(file: string, items: readonly BenchItem[]): BenchRecord[] {
  const dir = dirname(resolve(file));
  mkdirSync(join(dir, 'images'), { recursive: true });
  const seen = new Set<string>();
  const records = items.map((item) => {
    const base = fileStem(item.id);
    if (seen.has(base)) throw new Error(`writeBenchJson: two items map to the image name ${base} (ids must be unique)`);
    seen.add(base);
    const put = (suffix: string, bytes: Uint8Array) => {
      const rel = `images/${base}${suffix}.png`;
      writeFileSync(join(dir, rel), bytes);
      return rel;
    };
    const rec: BenchRecord = {
      id: item.id,
      image: put('', item.image),
      question_perception: item.perception.question,
      annotation_perception: put('.perception', item.perception.annotation),
      question_instruction: item.instruction.question,
      annotation_instruction: put('.instruction', item.instruction.annotation),
      answer_instruction: item.instruction.answer,
      question_reasoning: item.reasoning.question,
      answer_reasoning: item.reasoning.answer,
      domain: item.domain,
    };
    if (item.family !== undefined) rec.family = item.family;
    if (item.truth) rec.truth = item.truth;
    return rec;
  });
  writeFileSync(file, JSON.stringify(records, null, 1) + '\n');
  return records;
}

export interface LoadOptions {
  /** Decode every image while loading, so a broken one fails here, not mid-judging (default true). */
  checkImages?: boolean;
}

/** The first problem found in a file, with where it is. */
export class BenchFormatError extends Error {
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

const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : v instanceof Uint8Array ? 'bytes' : typeof v);

function readTruth(v: unknown, fail: (field: string, problem: string) => never): GeometricTruth | undefined {
  if (v === undefined || v === null) return undefined;
  const t = v as Partial<GeometricTruth>;
  if (typeof v !== 'object' || Array.isArray(v)) fail('truth', `expected an object, got ${describe(v)}`);
  if (!(typeof t.width === 'number' && t.width > 0 && typeof t.height === 'number' && t.height > 0)) fail('truth', 'expected positive numbers width and height');
  if (typeof t.targets !== 'object' || t.targets === null || Array.isArray(t.targets)) fail('truth.targets', 'expected an object name -> [x, y]');
  for (const [name, p] of Object.entries(t.targets)) {
    if (!Array.isArray(p) || p.length !== 2 || !p.every((n) => typeof n === 'number' && Number.isFinite(n))) fail(`truth.targets.${name}`, 'expected [x, y] numbers');
  }
  if (!Array.isArray(t.ops) || !t.ops.every((op) => typeof op === 'object' && op !== null && typeof (op as { op?: unknown }).op === 'string')) {
    fail('truth.ops', 'expected an array of drawing operations ({op: ...})');
  }
  return { width: t.width, height: t.height, targets: t.targets, ops: t.ops };
}

/** Reads one record; `image` turns an image field's value into bytes (or a problem message). */
async function readRecord(
  raw: unknown,
  index: number,
  file: string,
  image: (value: unknown) => Uint8Array | string,
  checkImages: boolean,
): Promise<BenchItem> {
  let id: string | null = null;
  const fail = (field: string | null, problem: string): never => {
    throw new BenchFormatError(file, index, id, field, problem);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(null, `expected an object, got ${describe(raw)}`);
  const rec = raw as Record<string, unknown>;
  // Ids may be numbers (or int64 bigints from parquet) in other copies of the release.
  const rawId = rec.id;
  if (rawId === undefined || rawId === null) fail('id', 'missing field');
  if (typeof rawId === 'string' && rawId !== '') id = rawId;
  else if (typeof rawId === 'number' || typeof rawId === 'bigint') id = String(rawId);
  else fail('id', `expected a non-empty string or a number, got ${describe(rawId)}`);
  const text = (field: string): string => {
    const v = rec[field];
    if (v === undefined || v === null) fail(field, 'missing field');
    if (typeof v === 'number' || typeof v === 'bigint') return String(v); // numeric answers in some copies
    if (typeof v !== 'string') fail(field, `expected a string, got ${describe(v)}`);
    return v as string;
  };
  const texts = Object.fromEntries(TEXT_FIELDS.map((f) => [f, text(f)])) as Record<(typeof TEXT_FIELDS)[number], string>;
  const images = {} as Record<ImageField, Uint8Array>;
  for (const field of IMAGE_FIELDS) {
    const v = rec[field];
    if (v === undefined || v === null) fail(field, 'missing field');
    const bytes = image(v);
    if (typeof bytes === 'string') fail(field, bytes);
    if (checkImages) {
      try {
        decodePng(bytes as Uint8Array);
      } catch {
        fail(field, `undecodable image (${(bytes as Uint8Array).length} bytes; expected PNG, JPEG or WebP)`);
      }
    }
    images[field] = bytes as Uint8Array;
  }
  const domain = rec.domain === undefined || rec.domain === null ? 'unknown' : text('domain');
  const family = rec.family === undefined || rec.family === null ? undefined : text('family');
  const truth = readTruth(rec.truth, fail);
  const item: BenchItem = {
    id: id!,
    domain,
    image: images.image,
    perception: { question: texts.question_perception, annotation: images.annotation_perception },
    instruction: { question: texts.question_instruction, annotation: images.annotation_instruction, answer: texts.answer_instruction },
    reasoning: { question: texts.question_reasoning, answer: texts.answer_reasoning },
  };
  if (family !== undefined) item.family = family;
  if (truth) item.truth = truth;
  return item;
}

const turn = () => new Promise<void>((r) => setImmediate(r));

async function readAll(rows: readonly unknown[], file: string, image: (v: unknown) => Uint8Array | string, options: LoadOptions): Promise<BenchItem[]> {
  const items: BenchItem[] = [];
  const ids = new Map<string, number>();
  for (const [i, row] of rows.entries()) {
    // Decoded canvases are freed only when the event loop turns (see scene/raster.ts).
    if (i % 32 === 31) await turn();
    const item = await readRecord(row, i, file, image, options.checkImages ?? true);
    const prior = ids.get(item.id);
    if (prior !== undefined) throw new BenchFormatError(file, i, item.id, 'id', `duplicate id (also item ${prior})`);
    ids.set(item.id, i);
    items.push(item);
  }
  return items;
}

/** Loads the local JSON layout; image paths are relative to the JSON file (absolute paths are accepted too). */
export async function loadBenchJson(file: string, options: LoadOptions = {}): Promise<BenchItem[]> {
  if (!existsSync(file)) throw new BenchFormatError(file, null, null, null, 'file not found');
  let rows: unknown;
  try {
    rows = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new BenchFormatError(file, null, null, null, `not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(rows)) throw new BenchFormatError(file, null, null, null, `expected a JSON array of items, got ${describe(rows)}`);
  const dir = dirname(resolve(file));
  const image = (v: unknown): Uint8Array | string => {
    if (typeof v !== 'string' || v === '') return `expected an image path (relative to the JSON file), got ${describe(v)}`;
    const path = isAbsolute(v) ? v : join(dir, v);
    if (!existsSync(path)) return `image file ${v} not found (looked for ${relative(process.cwd(), path) || path})`;
    return readFileSync(path);
  };
  return readAll(rows, file, image, options);
}

/** An image cell of the parquet file: raw bytes, or a {bytes, path} struct (Hugging Face datasets' Image feature). */
function parquetImage(v: unknown): Uint8Array | string {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'object' && v !== null && 'bytes' in v) {
    const bytes = (v as { bytes: unknown }).bytes;
    if (bytes instanceof Uint8Array) return bytes;
    const path = (v as { path?: unknown }).path;
    return `the image struct has no bytes (${describe(bytes)}${typeof path === 'string' ? `; path ${path} is not resolved: embed the images` : ''})`;
  }
  if (typeof v === 'string') return 'expected image bytes, got a string (was the column written as text?)';
  return `expected image bytes or a {bytes, path} struct, got ${describe(v)}`;
}

/** Loads the public release's parquet file (uncompressed or snappy; other codecs need hyparquet-compressors). */
export async function loadBenchParquet(file: string, options: LoadOptions = {}): Promise<BenchItem[]> {
  if (!existsSync(file)) throw new BenchFormatError(file, null, null, null, 'file not found');
  let rows: Record<string, unknown>[];
  try {
    // utf8: false keeps unannotated binary columns (the images) as bytes; string-annotated columns still decode.
    rows = await parquetReadObjects({ file: await asyncBufferFromFile(file), utf8: false });
  } catch (error) {
    throw new BenchFormatError(file, null, null, null, `not a readable parquet file, truncated or corrupt? (${(error as Error).message})`);
  }
  // Strings in columns without the UTF8 annotation came back as bytes too: text fields accept those as UTF-8.
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const textual = ['id', 'domain', 'family', ...TEXT_FIELDS];
  const fixed = rows.map((row) => {
    const out: Record<string, unknown> = { ...row };
    for (const f of textual) if (out[f] instanceof Uint8Array) out[f] = decoder.decode(out[f] as Uint8Array);
    if (typeof out.truth === 'string') {
      try {
        out.truth = JSON.parse(out.truth);
      } catch {
        /* readTruth reports the wrong type */
      }
    }
    return out;
  });
  return readAll(fixed, file, parquetImage, options);
}

/** Loads a benchmark file by extension: .parquet, else the JSON layout. */
export function loadBench(file: string, options: LoadOptions = {}): Promise<BenchItem[]> {
  return file.endsWith('.parquet') ? loadBenchParquet(file, options) : loadBenchJson(file, options);
}
