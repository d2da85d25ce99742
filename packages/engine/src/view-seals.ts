// Seals on workspace views, so that a no-op run costs O(stages), not O(files) (DESIGN.md). Checking a view against
// the store takes a stat of every file and of its blob: 38,000 stats on the default profile's 19,000 output files,
// most of a no-op. A view that such a check found intact is sealed with the stats of its folders (of its file, for
// a one-file output) and of the store's blob shards, taken before the check. While those are unchanged, nothing was
// added to, removed from or renamed in the view, and no blob left the store, so the view still shows its output.
//
// What a seal cannot see is a file of a folder view written in place: the view's files are read-only hardlinks of
// the store's blobs, so that takes a chmod (or root), and it damages the store's blob too. `--verify` (run, status)
// checks every file as before, and so does any command after the store changed (a run, gc).
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readJson, writeFileAtomic } from './fs-atomic.ts';
import { sha256 } from './hash.ts';
import type { Manifest, RunRecord, Store } from './store.ts';

/** A seal: the run it is for and a digest of the stats of `paths` (relative to the stage's view folder) and shards. */
interface Seal {
  key: string;
  paths: string[];
  stats: string;
}

/** The stats a seal compares, taken before the check it seals. */
export interface Snapshot {
  paths: string[];
  stats: string;
  /** A stat whose mtime is this recent cannot seal: a change within the same clock tick would leave it as it was. */
  racy: boolean;
}

const SHARDS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const RACY_MS = 1000;

export class ViewSeals {
  private readonly files = new Map<string, { seals: Record<string, Seal>; dirty: boolean }>();
  private shards?: { stats: string; racy: boolean };

  constructor(
    private readonly store: Store,
    /** The folder of a stage's views in a workspace (artifacts/<lock name>/<stage>). */
    private readonly stageFolder: (lockName: string, stage: string) => string,
  ) {}

  /** True when the record's views are sealed and their stats unchanged since: they show the record's outputs. */
  holds(lockName: string, record: RunRecord): boolean {
    const seal = this.file(lockName).seals[record.stage];
    if (!seal || seal.key !== record.key) return false;
    return this.statsOf(lockName, record.stage, seal.paths).stats === seal.stats;
  }

  /** The stats to seal the record's views with once a check has found them intact; undefined without a manifest. */
  snapshot(lockName: string, record: RunRecord): Snapshot | undefined {
    const paths = [''];
    for (const out of Object.values(record.outputs).sort((a, b) => (a.path < b.path ? -1 : 1))) {
      paths.push(out.path);
      if (out.kind !== 'dir') continue;
      const folders = new Set<string>();
      const manifest = tryManifest(this.store, out.digest);
      if (!manifest) return undefined;
      for (const [rel] of manifest.entries) {
        for (let d = dirname(rel); d !== '.' && !folders.has(d); d = dirname(d)) folders.add(d);
      }
      paths.push(...[...folders].sort().map((d) => join(out.path, d)));
    }
    return { paths, ...this.statsOf(lockName, record.stage, paths) };
  }

  /** Seals the record's views with a snapshot taken before the check that found them intact. */
  seal(lockName: string, record: RunRecord, snapshot: Snapshot): void {
    if (snapshot.racy) return;
    const file = this.file(lockName);
    file.seals[record.stage] = { key: record.key, paths: snapshot.paths, stats: snapshot.stats };
    file.dirty = true;
  }

  /** Writes the seals that changed; concurrent writers race harmlessly (a lost seal costs one full check). */
  save(): void {
    for (const [lockName, file] of this.files) {
      if (!file.dirty) continue;
      writeFileAtomic(this.path(lockName), JSON.stringify(file.seals));
      file.dirty = false;
    }
  }

  private statsOf(lockName: string, stage: string, paths: readonly string[]): { stats: string; racy: boolean } {
    const folder = this.stageFolder(lockName, stage);
    const views = describe(paths.map((p) => join(folder, p)));
    // The shards are stat'ed once a command, before any check it seals: the seals it writes hold until the store
    // changes (a stage this command runs adds blobs, so the next command checks file by file and seals again).
    this.shards ??= describe(SHARDS.map((s) => join(this.store.blobs, s)));
    return { stats: sha256(`${views.stats}\n${this.shards.stats}`), racy: views.racy || this.shards.racy };
  }

  private file(lockName: string) {
    let file = this.files.get(lockName);
    if (!file) {
      file = { seals: readJson<Record<string, Seal>>(this.path(lockName)) ?? {}, dirty: false };
      this.files.set(lockName, file);
    }
    return file;
  }

  private path(lockName: string): string {
    return join(this.store.dir, 'seals', `${lockName.replace(/\//g, '+')}.json`);
  }
}

/** Inode, size, mtime and ctime of each path ('-' when absent), and whether one was modified too recently to seal. */
function describe(paths: readonly string[]): { stats: string; racy: boolean } {
  const recent = Date.now() - RACY_MS;
  let racy = false;
  const parts = paths.map((p) => {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) return '-';
    if (st.mtimeMs > recent) racy = true;
    return `${st.ino}.${st.size}.${st.mtimeMs}.${st.ctimeMs}`;
  });
  return { stats: parts.join(' '), racy };
}

function tryManifest(store: Store, digest: string): Manifest | undefined {
  try {
    return store.manifest(digest);
  } catch {
    return undefined; // a missing or unreadable manifest: the check that follows fails, and nothing is sealed
  }
}
