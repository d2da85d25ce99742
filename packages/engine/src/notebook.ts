// The notebook API: artifacts by stage and output name, resolved through the profile's lock file and read from
// the store by digest, so what a notebook shows always matches the lock. JSON and JSONL/CSV come back parsed
// (tables as arquero), images and directories as paths.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type * as Arquero from 'arquero';
import { UserError } from './errors.ts';
import { readJournal } from './inspect.ts';
import { readLockfile } from './lockfile.ts';
import { msg } from './messages.ts';
import { requirePeer } from './optional.ts';
import { loadParamsFile } from './params.ts';
import { findRoot } from './project.ts';
import { Store, type OutputRecord } from './store.ts';

export interface LoadOptions {
  profile?: string;
  /** Project root (default: found from the current folder upwards). */
  root?: string;
}

export type Table = ReturnType<typeof Arquero.from>;

/** arquero (an optional peer) makes the tables: loaded when a table is first read. */
const aq = (): typeof Arquero => requirePeer<typeof Arquero>('arquero', 'reading a JSONL or CSV output as a table');

function locate(stage: string, output: string, options: LoadOptions): { root: string; profile: string; record: OutputRecord; store: Store } {
  const root = options.root ?? findRoot(process.cwd());
  const profile = options.profile ?? loadParamsFile(join(root, 'params.yaml')).defaultProfile;
  const record = readLockfile(root, profile).stages[stage]?.outputs[output];
  if (!record) throw new UserError(msg.noSuchOutput(stage, output, profile));
  const store = new Store(join(root, 'artifacts'));
  if (!store.hasBlob(record.digest)) throw new UserError(msg.blobMissing(record.digest));
  return { root, profile, record, store };
}

/** The digest an output has in the lock (what a notebook cell is keyed by). */
export function digest(stage: string, output: string, options: LoadOptions = {}): string {
  return locate(stage, output, options).record.digest;
}

/** Path of an output's bytes: a store blob for a file, the read-only workspace folder for a directory. */
export function path(stage: string, output: string, options: LoadOptions = {}): string {
  const { root, profile, record, store } = locate(stage, output, options);
  if (record.kind !== 'dir') return store.blobPath(record.digest);
  const ws = resolve(root, 'artifacts', profile, stage, record.path);
  if (!existsSync(ws)) throw new UserError(`${stage}.${output} is not materialised: run \`npx vthinker run --profile ${profile}\``);
  return ws;
}

/** Files of a directory output: relative path -> absolute path of its bytes in the store. */
export function files(stage: string, output: string, options: LoadOptions = {}): Record<string, string> {
  const { record, store } = locate(stage, output, options);
  if (record.kind !== 'dir') throw new UserError(`${stage}.${output} is a file, not a directory: use load() or path()`);
  return Object.fromEntries(store.manifest(record.digest).entries.map(([rel, d]) => [rel, store.blobPath(d)]));
}

/**
 * An output's content: parsed JSON for .json, an arquero table for .jsonl/.csv, text for other text files, and for
 * images or directories their path.
 */
export function load<T = unknown>(stage: string, output: string, options: LoadOptions = {}): T {
  const { record, store } = locate(stage, output, options);
  if (record.kind === 'dir') return path(stage, output, options) as T;
  const bytes = () => store.readBlob(record.digest).toString('utf8');
  const name = record.path.toLowerCase();
  if (record.kind === 'json' || name.endsWith('.json')) return JSON.parse(bytes()) as T;
  if (name.endsWith('.jsonl')) return aq().from(parseJsonl(bytes())) as T;
  if (name.endsWith('.csv')) return aq().fromCSV(bytes()) as T;
  if (/\.(png|jpe?g|svg|webp)$/.test(name)) return store.blobPath(record.digest) as T;
  return bytes() as T;
}

/** Rows of a JSONL output as plain objects (when a table is not what you want). */
export function rows<T = Record<string, unknown>>(stage: string, output: string, options: LoadOptions = {}): T[] {
  const { record, store } = locate(stage, output, options);
  return parseJsonl(store.readBlob(record.digest).toString('utf8')) as T[];
}

function parseJsonl(text: string): unknown[] {
  return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

/** Every recorded stage run (params flattened as `param.<key>`, metrics as `metric.<name>`), for comparisons. */
export function runs(options: { root?: string } = {}): Table {
  const root = options.root ?? findRoot(process.cwd());
  const store = new Store(join(root, 'artifacts'));
  const rows = readJournal(store.journal).map((l) => ({
      at: l.at,
      profile: l.profile,
      stage: l.stage,
      key: l.key.slice(0, 12),
      durationS: l.durationS,
      ...Object.fromEntries(Object.entries(l.params).map(([k, v]) => [`param.${k}`, typeof v === 'object' ? JSON.stringify(v) : v])),
      ...Object.fromEntries(Object.entries(l.metrics).map(([k, v]) => [`metric.${k}`, v])),
    }));
  // Stages declare different params and metrics: every row's fields are columns (arquero takes the first row's).
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return aq().from(rows, columns);
}

/** The raw text of a file output, whatever its extension. */
export function text(stage: string, output: string, options: LoadOptions = {}): string {
  const { record, store } = locate(stage, output, options);
  return readFileSync(store.blobPath(record.digest), 'utf8');
}
