// The benchmark on disk. Two layouts, one item shape:
//  - JSON (the file the official eval scripts read, ours, a local copy of the release): a JSON array (or JSON lines)
//    of records with the release's field names, image fields holding paths (relative to the JSON file, or to an
//    images folder given with --images, or absolute), plus our optional `family` and `truth` fields;
//  - the public release's PARQUET file: the same field names, image columns as bytes, either raw binary or the
//    {bytes, path} structs Hugging Face datasets write.
// What a record may lack and what counts as broken: records.ts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { BenchFormatError, describe, type ImageReader, readRecord, recordId, disambiguate, type SkippedTask } from './records.ts';
import type { BenchItem, GeometricTruth } from './types.ts';

export { BenchFormatError, type SkippedTask } from './records.ts';

/** One record of the release layout as we write it (image fields are paths in JSON, bytes in parquet). */
export interface BenchRecord {
  id: string;
  image: string;
  question_perception?: string;
  annotation_perception?: string;
  answer_perception?: string;
  question_instruction?: string;
  annotation_instruction?: string;
  answer_instruction?: string;
  question_reasoning?: string;
  answer_reasoning?: string;
  domain: string;
  'dataset-entity'?: string;
  family?: string;
  truth?: GeometricTruth;
}

/** Text columns a parquet writer may have left as bytes. */
const TEXT_FIELDS = [
  'id', 'domain', 'dataset-entity', 'dataset_entity', 'family', 'question_perception', 'answer_perception', 'question_instruction',
  'answer_instruction', 'question_reasoning', 'answer_reasoning',
] as const;

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
    const rec = { id: item.id, image: put('', item.image) } as BenchRecord;
    if (item.perception) {
      rec.question_perception = item.perception.question;
      rec.annotation_perception = put('.perception', item.perception.annotation);
      if (item.perception.answer !== undefined) rec.answer_perception = item.perception.answer;
    }
    if (item.instruction) {
      rec.question_instruction = item.instruction.question;
      rec.annotation_instruction = put('.instruction', item.instruction.annotation);
      if (item.instruction.answer !== undefined) rec.answer_instruction = item.instruction.answer;
    }
    if (item.reasoning) {
      rec.question_reasoning = item.reasoning.question;
      rec.answer_reasoning = item.reasoning.answer;
    }
    rec.domain = item.domain;
    if (item.entity !== undefined) rec['dataset-entity'] = item.entity;
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
  /** A folder image paths are relative to (tried before the JSON file's folder; also by base name). */
  images?: string;
  /** Skip and report a broken task or item (a wrong type, a missing or undecodable image) instead of failing. */
  skipBroken?: boolean;
}

/** A loaded benchmark: its items and what was left out. */
export interface LoadedBench {
  file: string;
  items: BenchItem[];
  skipped: SkippedTask[];
}

const turn = () => new Promise<void>((r) => setImmediate(r));

async function readAll(rows: readonly unknown[], file: string, image: ImageReader, options: LoadOptions): Promise<LoadedBench> {
  const items: BenchItem[] = [];
  const skipped: SkippedTask[] = [];
  const ids = new Map<string, number>();
  for (const [i, row] of rows.entries()) {
    // Decoded canvases are freed only when the event loop turns (see scene/raster.ts).
    if (i % 32 === 31) await turn();
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      if (!options.skipBroken) throw new BenchFormatError(file, i, null, null, `expected an object, got ${describe(row)}`);
      skipped.push({ index: i, id: `#${i}`, task: null, field: '', reason: `expected an object, got ${describe(row)}` });
      continue;
    }
    const rec = row as Record<string, unknown>;
    const named = recordId(rec, file, i);
    const prior = ids.get(named.id);
    if (named.own && prior !== undefined) throw new BenchFormatError(file, i, named.id, 'id', `duplicate id (also item ${prior})`);
    const id = named.own ? named.id : disambiguate(named.id, rec, (x) => ids.has(x));
    ids.set(id, i);
    const r = readRecord(rec, id, { file, index: i, image, checkImages: options.checkImages ?? true, skipBroken: options.skipBroken ?? false });
    skipped.push(...r.skipped);
    if (r.item) items.push(r.item);
  }
  return { file, items, skipped };
}

/** Where an image path may be: absolute; under --images (as written, then by base name); beside the benchmark file. */
function imageResolver(file: string, imagesDir: string | undefined): ImageReader {
  const dir = dirname(resolve(file));
  return (v) => {
    if (typeof v !== 'string') return `expected an image path, got ${describe(v)}`;
    // An absolute path from another machine is looked for by its base name under --images.
    const under = imagesDir ? (isAbsolute(v) ? [join(imagesDir, basename(v))] : [join(imagesDir, v), join(imagesDir, basename(v))]) : [];
    const candidates = isAbsolute(v) ? [v, ...under] : [...under, join(dir, v)];
    const found = candidates.find((p) => existsSync(p));
    if (found) return readFileSync(found);
    const looked = [...new Set(candidates.map((p) => relative(process.cwd(), p) || p))].join(', ');
    return `image file ${v} not found (looked for ${looked}${imagesDir ? '' : '; give the images folder with --images DIR'})`;
  };
}

/** The rows of a JSON array, or of JSON lines (one record per line, as the official scripts also accept). */
function jsonRows(file: string): unknown[] {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  try {
    const rows = JSON.parse(text) as unknown;
    if (!Array.isArray(rows)) throw new BenchFormatError(file, null, null, null, `expected a JSON array of items (or JSON lines), got ${describe(rows)}`);
    return rows;
  } catch (error) {
    if (error instanceof BenchFormatError) throw error;
    const lines = text.split(/\r?\n/).map((l, n) => [l.trim(), n + 1] as const).filter(([l]) => l !== '');
    if (lines.length < 2) throw new BenchFormatError(file, null, null, null, `not valid JSON (${(error as Error).message})`);
    return lines.map(([l, n]) => {
      try {
        return JSON.parse(l) as unknown;
      } catch (e) {
        throw new BenchFormatError(file, null, null, null, `neither a JSON array nor JSON lines: line ${n} is not valid JSON (${(e as Error).message})`);
      }
    });
  }
}

/** Reads the JSON layout: every item, and the tasks and items left out. */
export async function readBenchJson(file: string, options: LoadOptions = {}): Promise<LoadedBench> {
  if (!existsSync(file)) throw new BenchFormatError(file, null, null, null, 'file not found');
  if (options.images !== undefined && !existsSync(options.images)) throw new BenchFormatError(file, null, null, null, `images folder ${options.images} (--images) not found`);
  return readAll(jsonRows(file), file, imageResolver(file, options.images), options);
}

/** An image cell of the parquet file: raw bytes, or a {bytes, path} struct (Hugging Face datasets' Image feature). */
function parquetImage(resolvePath: ImageReader): ImageReader {
  return (v) => {
    if (v instanceof Uint8Array) return v;
    if (typeof v === 'object' && v !== null && 'bytes' in v) {
      const bytes = (v as { bytes: unknown }).bytes;
      if (bytes instanceof Uint8Array) return bytes;
      const path = (v as { path?: unknown }).path;
      // A struct without bytes points at a file: found under --images or beside the parquet file, or reported.
      if (typeof path === 'string' && path !== '') return resolvePath(path);
      return `the image struct has neither bytes nor a path (${describe(bytes)})`;
    }
    if (typeof v === 'string') return 'expected image bytes, got a string (was the column written as text?)';
    return `expected image bytes or a {bytes, path} struct, got ${describe(v)}`;
  };
}

/** Reads the public release's parquet file (uncompressed or snappy; other codecs need hyparquet-compressors). */
export async function readBenchParquet(file: string, options: LoadOptions = {}): Promise<LoadedBench> {
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
  const fixed = rows.map((row) => {
    const out: Record<string, unknown> = { ...row };
    for (const f of TEXT_FIELDS) if (out[f] instanceof Uint8Array) out[f] = decoder.decode(out[f] as Uint8Array);
    if (typeof out.truth === 'string') {
      try {
        out.truth = JSON.parse(out.truth);
      } catch {
        /* readRecord reports the wrong type */
      }
    }
    return out;
  });
  return readAll(fixed, file, parquetImage(imageResolver(file, options.images)), options);
}

/** Reads a benchmark file by extension: .parquet, else the JSON layout (array or lines). */
export function readBench(file: string, options: LoadOptions = {}): Promise<LoadedBench> {
  return file.endsWith('.parquet') ? readBenchParquet(file, options) : readBenchJson(file, options);
}

/** The items of a benchmark file (what was left out is dropped: use readBench to report it). */
export async function loadBench(file: string, options: LoadOptions = {}): Promise<BenchItem[]> {
  return (await readBench(file, options)).items;
}

export async function loadBenchJson(file: string, options: LoadOptions = {}): Promise<BenchItem[]> {
  return (await readBenchJson(file, options)).items;
}

export async function loadBenchParquet(file: string, options: LoadOptions = {}): Promise<BenchItem[]> {
  return (await readBenchParquet(file, options)).items;
}
