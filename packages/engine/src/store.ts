// The content-addressed store under artifacts/store: immutable blobs named by sha256, directory manifests (blobs
// too), and run records (key -> output digests and metrics). Workspace copies under artifacts/<profile>/<stage>/ are
// read-only hardlinks to blobs, so checking one is a stat call or two, never a re-read.
import {
  chmodSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync,
  copyFileSync, unlinkSync, type Stats,
} from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import type { OutputKind } from './define.ts';
import { digestOf, type Digest } from './hash.ts';
import type { KeyPreimage, StageKey } from './key.ts';
import { readJson, writeFileAtomic } from './fs-atomic.ts';
import type { StatCache } from './stat-cache.ts';

export interface OutputRecord {
  kind: OutputKind;
  /** Name inside the stage's output folder. */
  path: string;
  /** Content digest (for a directory: the digest of its manifest). */
  digest: Digest;
  /** Total bytes. */
  size: number;
  /** Number of files (1 for a file output). */
  files: number;
}

export type Metrics = Record<string, number | string | boolean>;

/** Names of the outputs whose digests differ between two records of a stage (or that only one of them has). */
export function differingOutputs(a: Record<string, OutputRecord>, b: Record<string, OutputRecord>): string[] {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return names.filter((n) => a[n]?.digest !== b[n]?.digest);
}

export interface RunRecord {
  key: StageKey;
  stage: string;
  preimage: KeyPreimage;
  outputs: Record<string, OutputRecord>;
  metrics: Metrics;
  durationS: number;
}

/** Files `gc` would remove, with their sizes. */
export interface GcPlan {
  runs: Array<{ path: string; bytes: number }>;
  blobs: Array<{ path: string; bytes: number }>;
}

/** A directory manifest: sorted relative posix paths with their blob digests. */
export interface Manifest {
  kind: 'dir';
  entries: Array<[path: string, digest: Digest, size: number]>;
}

/**
 * The content-addressed half of the store, as remote workers use it: blobs by digest, outputs ingested from a
 * private folder and materialised (verified) into another. `Store` keeps it on a filesystem (local, or shared over
 * NFS between a coordinator and its workers); an object store (S3, GCS) could implement the same four calls.
 *
 * Shared-filesystem assumptions (NFSv3 or later): `open(O_CREAT|O_EXCL)` is atomic on the server (locks), `rename`
 * within one export is atomic (blobs, run records, the lock file appear whole), hardlinks work within the export
 * (otherwise materialise copies), and clocks agree within the lock staleness window (heartbeats are file mtimes set
 * by the holder's clock and read against the reader's: keep skew well under 30 s, e.g. with NTP).
 */
export interface BlobStore {
  /** Every byte of the output is present and intact. */
  hasOutput(out: OutputRecord): boolean;
  /** Hashes a finished file or folder and moves its bytes in (atomic per blob); returns its record. */
  ingest(kind: OutputKind, name: string, path: string): OutputRecord;
  /** The bytes of one blob. */
  readBlob(digest: string): Buffer;
  /** Makes `dest` a read-only copy (or hardlink view) of the output. */
  materialise(out: OutputRecord, dest: string): void;
}

export class Store implements BlobStore {
  readonly dir: string;
  readonly blobs: string;
  readonly runs: string;
  readonly tmp: string;
  readonly locks: string;
  readonly checkpoints: string;
  readonly logs: string;
  readonly journal: string;
  /** Job journal: stage key -> the handle of a job submitted to a durable executor (a queue), for adoption. */
  readonly jobs: string;
  /** Named outputs that no run produced but gc must keep (the current report of each profile): name -> digest. */
  readonly roots: string;
  private blobsKey: { root: string; prefix: string } | undefined;

  /**
   * With a stat cache, blobs are verified before use: a workspace file is a hardlink to its blob, and root (or a
   * chmod) can write through it; a blob whose content no longer matches its name is dropped and its stage re-runs.
   */
  constructor(readonly artifacts: string, private readonly cache?: StatCache, private readonly root?: string) {
    this.dir = join(artifacts, 'store');
    this.blobs = join(this.dir, 'blobs');
    this.runs = join(this.dir, 'runs');
    this.tmp = join(this.dir, 'tmp');
    this.locks = join(this.dir, 'locks');
    this.checkpoints = join(this.dir, 'checkpoints');
    this.logs = join(this.dir, 'logs');
    this.journal = join(this.dir, 'journal.jsonl');
    this.jobs = join(this.dir, 'jobs');
    this.roots = join(this.dir, 'roots');
  }

  /** Keeps an output (a directory with its files) through gc under `name`, replacing what the name kept before. */
  setRoot(name: string, out: Pick<OutputRecord, 'kind' | 'digest'>): void {
    writeFileAtomic(join(this.roots, name), JSON.stringify({ kind: out.kind, digest: out.digest }));
  }

  blobPath(digest: string): string {
    return `${this.blobs}${sep}${blobName(digest)}`;
  }

  hasBlob(digest: string): boolean {
    return existsSync(this.blobPath(digest));
  }

  readBlob(digest: string): Buffer {
    return readFileSync(this.blobPath(digest));
  }

  /** Moves a finished file into the store (or drops it when the blob exists): blobs appear whole, by rename. */
  putFile(path: string): { digest: Digest; size: number } {
    const bytes = readFileSync(path);
    const digest = digestOf(bytes);
    this.adoptFile(path, digest);
    return { digest, size: bytes.length };
  }

  /** Moves a file the caller has hashed to `digest` (a blob pulled from a remote) into the store, as `putFile` does. */
  adoptFile(path: string, digest: Digest): void {
    const target = this.blobPath(digest);
    if (existsSync(target) && this.intact(digest)) unlinkSync(path);
    else {
      mkdirSync(dirname(target), { recursive: true });
      chmodSync(path, 0o444);
      renameSync(path, target);
      if (this.cache && this.root) this.cache.get('blob', this.blobKey(digest), statSync(target), () => digest);
    }
  }

  putBytes(bytes: string | Uint8Array): Digest {
    const digest = digestOf(bytes);
    const target = this.blobPath(digest);
    if (!existsSync(target)) {
      writeFileAtomic(target, bytes);
      chmodSync(target, 0o444);
    }
    return digest;
  }

  /** Hashes an output the stage wrote in its private folder and moves its bytes into the store. */
  ingest(kind: OutputKind, name: string, path: string): OutputRecord {
    if (kind !== 'dir') {
      const { digest, size } = this.putFile(path);
      return { kind, path: name, digest, size, files: 1 };
    }
    const entries: Manifest['entries'] = [];
    let size = 0;
    for (const rel of walkFiles(path)) {
      const put = this.putFile(join(path, rel));
      entries.push([rel, put.digest, put.size]);
      size += put.size;
    }
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const manifest: Manifest = { kind: 'dir', entries };
    return { kind, path: name, digest: this.putBytes(JSON.stringify(manifest)), size, files: entries.length };
  }

  manifest(digest: string): Manifest {
    return JSON.parse(this.readBlob(digest).toString('utf8')) as Manifest;
  }

  /** True when every byte of the output is in the store, intact. */
  hasOutput(out: OutputRecord): boolean {
    if (!this.intact(out.digest)) return false;
    if (out.kind !== 'dir') return true;
    return this.manifest(out.digest).entries.every(([, d]) => this.intact(d));
  }

  /** The blob exists and (when verifying) still hashes to its name; a tampered blob is removed. */
  private intact(digest: string): boolean {
    return !!this.intactStats(digest);
  }

  /** The stats of an intact blob (see `intact`), which callers compare inodes with. */
  private intactStats(digest: string): Stats | undefined {
    const path = this.blobPath(digest);
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st || !this.cache || !this.root) return st;
    const actual = this.cache.get('blob', this.blobKey(digest), st, () => digestOf(readFileSync(path)));
    if (actual === digest) return st;
    rmSync(path, { force: true });
    return undefined;
  }

  /** A blob's stat-cache entry: its path relative to the root (`relative` is slow enough to matter in a no-op run). */
  private blobKey(digest: string, root = this.root!): string {
    if (this.blobsKey?.root !== root) this.blobsKey = { root, prefix: relative(root, this.blobs) };
    return `${this.blobsKey.prefix}${sep}${blobName(digest)}`;
  }

  /** The run of `key` when every byte of its outputs is in the store, intact. */
  getRun(key: string): RunRecord | undefined {
    const record = this.readRun(key);
    return record && this.hasRun(record) ? record : undefined;
  }

  /** Every output of the record is in the store (false, not a throw, when a "manifest" is not one). */
  hasRun(record: RunRecord): boolean {
    try {
      return Object.values(record.outputs).every((o) => this.hasOutput(o));
    } catch {
      return false;
    }
  }

  /** The run record of `key` as written, its outputs' bytes not checked (see `getRun`). */
  readRun(key: string): RunRecord | undefined {
    return readJson<RunRecord>(join(this.runs, `${key}.json`));
  }

  putRun(record: RunRecord): void {
    writeFileAtomic(join(this.runs, `${record.key}.json`), JSON.stringify(record, null, 1));
  }

  /** The job submitted for this key by an earlier (or this) coordinator, if it was not settled. */
  getJob(key: string): { executor: string; id: string; where?: string } | undefined {
    return readJson(join(this.jobs, `${key}.json`));
  }

  putJob(key: string, handle: { executor: string; id: string; where?: string }): void {
    writeFileAtomic(join(this.jobs, `${key}.json`), JSON.stringify({ ...handle, key, submittedAt: new Date().toISOString(), host: hostname(), pid: process.pid }));
  }

  dropJob(key: string): void {
    rmSync(join(this.jobs, `${key}.json`), { force: true });
  }

  /**
   * Makes `dest` a read-only view of the output: hardlinks to blobs (copies across filesystems). The new view is
   * assembled beside `dest` and renamed into place, so an interrupted materialise never leaves a mixed folder.
   */
  materialise(out: OutputRecord, dest: string): void {
    mkdirSync(dirname(dest), { recursive: true });
    const staging = `${dest}.staging-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    if (out.kind === 'dir') {
      mkdirSync(staging, { recursive: true });
      for (const [rel, digest] of this.manifest(out.digest).entries) {
        const target = join(staging, rel);
        mkdirSync(dirname(target), { recursive: true });
        linkOrCopy(this.blobPath(digest), target);
      }
    } else linkOrCopy(this.blobPath(out.digest), staging);
    if (existsSync(dest) || isDanglingLink(dest)) {
      const trash = `${dest}.trash-${process.pid}`;
      renameSync(dest, trash);
      renameSync(staging, dest);
      rmSync(trash, { recursive: true, force: true });
    } else renameSync(staging, dest);
  }

  /** True when `dest` still shows exactly `out` (same inodes as the blobs, or same content by the stat cache). */
  isMaterialised(out: OutputRecord, dest: string, cache: StatCache, root: string): boolean {
    const same = (path: string, digest: string): boolean => {
      const st = statSync(path, { throwIfNoEntry: false });
      if (!st) return false;
      // Still the blob's hardlink and unchanged since the blob was hashed (the blob's entry has these very stats):
      // no second stat, which a no-op run would pay for every output file.
      if (cache.peek('blob', this.blobKey(digest, root), st) === digest) return true;
      const blob = this.intactStats(digest);
      if (!blob) return false;
      if (blob.ino === st.ino) return true;
      return cache.get('blob', relative(root, path), st, () => digestOf(readFileSync(path))) === digest;
    };
    if (out.kind !== 'dir') return same(dest, out.digest);
    if (!existsSync(dest) || !statSync(dest).isDirectory()) return false;
    const entries = this.manifest(out.digest).entries;
    const present = walkFiles(dest);
    if (present.length !== entries.length) return false;
    return entries.every(([rel, digest]) => same(join(dest, rel), digest));
  }

  /** What `gc` would remove: run records of keys not kept, and blobs that no kept run and no root (`setRoot`) uses. */
  gcPlan(keep: ReadonlySet<string>): GcPlan {
    const live = new Set<string>();
    const keepOutput = (out: Pick<OutputRecord, 'kind' | 'digest'>) => {
      live.add(out.digest);
      if (out.kind === 'dir' && this.hasBlob(out.digest)) for (const [, d] of this.manifest(out.digest).entries) live.add(d);
    };
    const runs: GcPlan['runs'] = [];
    for (const name of safeReaddir(this.runs)) {
      const path = join(this.runs, name);
      if (!keep.has(name.replace(/\.json$/, ''))) {
        runs.push({ path, bytes: statSync(path).size });
        continue;
      }
      try {
        const record = JSON.parse(readFileSync(path, 'utf8')) as RunRecord;
        for (const out of Object.values(record.outputs)) keepOutput(out);
      } catch {
        /* an unreadable record keeps nothing alive */
      }
    }
    for (const name of safeReaddir(this.roots)) {
      if (name.includes('.tmp-')) continue;
      try {
        keepOutput(JSON.parse(readFileSync(join(this.roots, name), 'utf8')) as OutputRecord);
      } catch {
        /* an unreadable root keeps nothing alive */
      }
    }
    const blobs: GcPlan['blobs'] = [];
    for (const shard of safeReaddir(this.blobs)) {
      for (const rest of safeReaddir(join(this.blobs, shard))) {
        if (live.has(`sha256:${shard}${rest}`)) continue;
        const path = join(this.blobs, shard, rest);
        blobs.push({ path, bytes: statSync(path).size });
      }
    }
    return { runs, blobs };
  }

  /** Removes what `gcPlan` lists; returns what it freed. */
  gc(keep: ReadonlySet<string>): { runs: number; blobs: number; bytes: number } {
    const plan = this.gcPlan(keep);
    for (const { path } of [...plan.runs, ...plan.blobs]) rmSync(path, { force: true });
    return { runs: plan.runs.length, blobs: plan.blobs.length, bytes: [...plan.runs, ...plan.blobs].reduce((n, f) => n + f.bytes, 0) };
  }

  /** A private folder for one stage run; a crash leaves it behind for `cleanTmp` to remove, never in the store. */
  makeTmp(stage: string): string {
    const path = join(this.tmp, `${stage.replace(/[^\w@-]/g, '_')}-${hostname()}-${process.pid}-${Date.now().toString(36)}`);
    mkdirSync(path, { recursive: true });
    return path;
  }

  /** Removes temporary folders of processes on this host that no longer exist. */
  cleanTmp(): void {
    const host = hostname();
    for (const name of safeReaddir(this.tmp)) {
      const m = /-([^-]+)-(\d+)-[0-9a-z]+$/.exec(name);
      if (!m || m[1] !== host || processAlive(Number(m[2]))) continue;
      rmSync(join(this.tmp, name), { recursive: true, force: true });
    }
  }
}

function linkOrCopy(src: string, dest: string): void {
  try {
    linkSync(src, dest);
  } catch {
    copyFileSync(src, dest);
    chmodSync(dest, 0o444);
  }
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

export function walkFiles(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) visit(join(dir, entry.name), `${prefix}${entry.name}/`);
      else out.push(prefix + entry.name);
    }
  };
  visit(root, '');
  return out.sort();
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A blob's path inside blobs/: the digest's hex, split after two characters. */
function blobName(digest: string): string {
  const hex = digest.startsWith('sha256:') ? digest.slice(7) : digest;
  return `${hex.slice(0, 2)}${sep}${hex.slice(2)}`;
}
