// Runs the notebooks whose inputs changed, like `run` runs stages: a notebook's key covers its cells, the digests
// of the artifacts it reads, the local code it imports and the kernel (key.ts). The executed copy is a store blob
// and a record under artifacts/store/notebooks/<key>.json says which; a notebook whose key has a record is fresh
// and is not executed again. Copies appear read-only in artifacts/<profile>/notebooks/.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, join, relative } from 'node:path';
import { CodeHasher } from '../code-hash.ts';
import { UserError } from '../errors.ts';
import { readJson, writeFileAtomic } from '../fs-atomic.ts';
import type { Digest } from '../hash.ts';
import type { StatCache } from '../stat-cache.ts';
import { readLockfile, type LockFile } from '../lockfile.ts';
import type { OutputRecord, Store } from '../store.ts';
import { firstError, readNotebook, type Notebook } from './ipynb.ts';
import { notebookInputs } from './inputs.ts';
import { executeNotebook, executorVersion, setupJupyter, type JupyterEnv } from './jupyter.ts';
import { changes, notebookKey, notebookPreimage, type NotebookPreimage } from './key.ts';
import { typecheckNotebooks } from './typecheck.ts';

export interface NotebookRecord {
  key: string;
  notebook: string;
  preimage: NotebookPreimage;
  executed: Digest;
  size: number;
  durationS: number;
}

/** Executes one notebook into `out`; the default drives Jupyter. Tests pass a fake to check freshness quickly. */
export type Execute = (notebook: string, out: string, kernel: string, env: Record<string, string>) => Promise<{ ok: boolean; log: string }>;

export interface RunNotebooksOptions {
  root: string;
  profile: string;
  store: Store;
  statCache: StatCache;
  /** Notebook names (without .ipynb) to consider; all under notebooks/ by default. */
  only?: string[];
  /** Execute even when fresh. */
  force?: boolean;
  /** Type-check cells before executing (default true). */
  typecheck?: boolean;
  execute?: Execute;
  /** Kernel name -> version, entering keys (default: what setupJupyter reports). */
  kernels?: Record<string, string>;
  concurrency?: number;
  log?: (line: string) => void;
}

export interface RunNotebooksResult {
  ok: boolean;
  executed: string[];
  fresh: string[];
  failed: Array<{ notebook: string; cell: number; message: string }>;
  seconds: number;
}

interface Planned {
  name: string;
  path: string;
  rel: string;
  nb: Notebook;
  kernel: string;
  preimage: NotebookPreimage;
  key: string;
}

export async function runNotebooks(o: RunNotebooksOptions): Promise<RunNotebooksResult> {
  const started = performance.now();
  const log = o.log ?? ((line: string) => console.log(line));
  const dir = join(o.root, 'notebooks');
  const all = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort() : [];
  const wanted = o.only?.length ? o.only.map((n) => `${n.replace(/\.ipynb$/, '')}.ipynb`) : all;
  for (const w of wanted) if (!all.includes(w)) throw new UserError(`no notebook notebooks/${w} (have: ${all.join(', ') || 'none'})`);

  // Every artifact a notebook reads must be in the lock and the store before any kernel starts: a notebook that
  // fails on a missing blob half-way says less than this list of what to run.
  const lock = readLockfile(o.root, o.profile);
  const read = wanted.map((file) => ({ file, rel: `notebooks/${file}`, inputs: notebookInputs(readNotebook(join(dir, file))) }));
  const unrun = read.flatMap((n) => n.inputs.artifacts.filter((a) => !recordOf(lock, a)).map((artifact) => ({ notebook: n.rel, artifact })));
  refuseMissing(o.profile, unrun, 'has not produced');

  let jupyter: JupyterEnv | undefined;
  const kernels = o.kernels ?? (jupyter = setupJupyter(o.root)).kernels;
  const hasher = new CodeHasher(o.root, o.statCache);
  const executor = executorVersion();
  const records = join(o.store.dir, 'notebooks');
  const indexPath = join(records, `index-${o.profile}.json`);
  const index = readJson<Record<string, string>>(indexPath) ?? {};
  const shown = join(o.store.artifacts, o.profile, 'notebooks');

  const plans: Planned[] = wanted.map((file) => {
    const path = join(dir, file);
    const nb = readNotebook(path);
    const kernel = nb.metadata.kernelspec?.name ?? 'deno';
    const version = kernels[kernel];
    if (!version) throw new UserError(`notebooks/${file} asks for kernel ${kernel}; this runner has ${Object.keys(kernels).join(', ')}`);
    const preimage = notebookPreimage(path, nb, notebookInputs(nb), {
      root: o.root, profile: o.profile, journalPath: o.store.journal, hasher, kernel: `${kernel} ${version}`, executor,
    });
    return { name: basename(file, '.ipynb'), path, rel: relative(o.root, path), nb, kernel, preimage, key: notebookKey(preimage) };
  });
  o.statCache.save();

  const result: RunNotebooksResult = { ok: true, executed: [], fresh: [], failed: [], seconds: 0 };
  const stale: Planned[] = [];
  for (const p of plans) {
    const record = readJson<NotebookRecord>(join(records, `${p.key}.json`));
    if (!o.force && record && o.store.hasBlob(record.executed)) {
      show(o, record, join(shown, `${p.name}.ipynb`));
      result.fresh.push(p.rel);
      log(`fresh    ${p.rel}`);
    } else stale.push(p);
  }

  if (stale.length && o.typecheck !== false) {
    const diagnostics = await typecheckNotebooks(o.root, stale.map((p) => ({ path: p.path, nb: p.nb })));
    for (const d of diagnostics) log(`type error ${d.notebook}${d.cell ? ` cell ${d.cell} line ${d.line}` : ''}: ${d.message}`);
    const bad = new Set(diagnostics.map((d) => d.notebook));
    for (const p of stale.filter((x) => bad.has(x.rel) || diagnostics.some((d) => d.cell === 0))) {
      const first = diagnostics.find((d) => d.notebook === p.rel) ?? diagnostics[0]!;
      result.failed.push({ notebook: p.rel, cell: first.cell, message: `type error: ${first.message}` });
    }
  }

  const absent = stale.flatMap((p) => notebookInputs(p.nb).artifacts.filter((a) => !o.store.hasOutput(recordOf(lock, a)!)).map((artifact) => ({ notebook: p.rel, artifact })));
  refuseMissing(o.profile, absent, 'has in its lock but not in this store');

  const runnable = stale.filter((p) => !result.failed.some((f) => f.notebook === p.rel));
  const execute: Execute = o.execute ?? ((nb, out, kernel, env) => executeNotebook(jupyter ?? setupJupyter(o.root), nb, out, kernel, env));
  mkdirSync(records, { recursive: true });
  await pool(runnable, o.concurrency ?? Math.min(2, cpus().length), async (p) => {
    const before = index[p.rel] ? readJson<NotebookRecord>(join(records, `${index[p.rel]}.json`))?.preimage : undefined;
    log(`execute  ${p.rel} (${o.force ? 'forced' : changes(before, p.preimage).join(', ')})`);
    const tmp = o.store.makeTmp(`notebook-${p.name}`);
    try {
      const out = join(tmp, `${p.name}.ipynb`);
      const t0 = performance.now();
      let run = await execute(p.path, out, p.kernel, { VTHINKER_PROFILE: o.profile });
      // The executor can fail before any cell runs: a kernel that dies while starting on a loaded machine (nbclient
      // then fails its own cleanup with `assert self.km is not None`; seen once in CI). One more try; a cell's error
      // is in the executed copy and never retried.
      if (!run.ok) {
        log(`retry    ${p.rel}: could not execute\n${indent(lastLines(run.log, 3))}`);
        run = await execute(p.path, out, p.kernel, { VTHINKER_PROFILE: o.profile });
      }
      const durationS = Math.round((performance.now() - t0) / 100) / 10;
      if (!run.ok) {
        result.failed.push({ notebook: p.rel, cell: 0, message: `could not execute: ${lastLines(run.log)}` });
        return log(`failed   ${p.rel}: could not execute\n${indent(lastLines(run.log))}`);
      }
      const error = firstError(readNotebook(out));
      if (error) {
        mkdirSync(shown, { recursive: true });
        copyFileSync(out, join(shown, `${p.name}.failed.ipynb`));
        result.failed.push({ notebook: p.rel, cell: error.cell, message: error.message });
        return log(`failed   ${p.rel} cell ${error.cell}: ${indent(error.message).trimStart()}\n         executed copy: ${relative(o.root, join(shown, `${p.name}.failed.ipynb`))}`);
      }
      const { digest, size } = o.store.putFile(out);
      const record: NotebookRecord = { key: p.key, notebook: p.rel, preimage: p.preimage, executed: digest, size, durationS };
      writeFileAtomic(join(records, `${p.key}.json`), `${JSON.stringify(record, null, 2)}\n`);
      index[p.rel] = p.key;
      show(o, record, join(shown, `${p.name}.ipynb`));
      rmSync(join(shown, `${p.name}.failed.ipynb`), { force: true });
      result.executed.push(p.rel);
      log(`done     ${p.rel} in ${durationS.toFixed(1)}s -> ${relative(o.root, join(shown, `${p.name}.ipynb`))}`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
  writeFileAtomic(indexPath, `${JSON.stringify(sortKeys(index), null, 2)}\n`);

  result.ok = result.failed.length === 0;
  result.seconds = Math.round((performance.now() - started) / 100) / 10;
  const what = result.executed.length ? `${result.executed.length} executed` : 'nothing executed';
  const why = !result.executed.length && !result.failed.length ? ': every notebook is fresh (nothing changed)' : '';
  log(`notebooks (profile ${o.profile}): ${what}, ${result.fresh.length} fresh, ${result.failed.length} failed in ${result.seconds.toFixed(1)}s${why}`);
  return result;
}

const recordOf = (lock: LockFile, artifact: string): OutputRecord | undefined => {
  const dot = artifact.lastIndexOf('.');
  return lock.stages[artifact.slice(0, dot)]?.outputs[artifact.slice(dot + 1)];
};

/** One line per artifact a notebook reads that is not there, each with the command that makes it. */
function refuseMissing(profile: string, missing: Array<{ notebook: string; artifact: string }>, why: string): void {
  if (!missing.length) return;
  const lines = missing.map(({ notebook, artifact }) => {
    const stage = artifact.slice(0, artifact.lastIndexOf('.'));
    return `${notebook} reads ${artifact}, which profile ${profile} ${why}: make it with \`npx vthinker run --profile ${profile} --until ${stage}\``;
  });
  throw new UserError(`${lines.join('\n')}\n(no notebook was executed)`);
}

function show(o: RunNotebooksOptions, record: NotebookRecord, dest: string): void {
  const out: OutputRecord = { kind: 'file', path: basename(dest), digest: record.executed, size: record.size, files: 1 };
  if (!o.store.isMaterialised(out, dest, o.statCache, o.root)) o.store.materialise(out, dest);
}

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
}

const sortKeys = (r: Record<string, string>) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));
const lastLines = (text: string, n = 15) => text.trim().split('\n').slice(-n).join('\n');
const indent = (text: string) => text.split('\n').map((l) => `         ${l}`).join('\n');
