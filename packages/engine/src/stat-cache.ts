// Remembers, per file, (size, mtime, inode) -> a derived value (a content digest, a normalised code hash), so an
// unchanged file is never re-read. It is only a cache: a lost or stale entry costs a re-read, never a wrong answer,
// because any change of content changes mtime or size (and hardlinked store blobs never change).
//
// Each namespace ('blob', 'code', 'yaml', ...) is its own file, read on first use: the blob digests are 25,000
// entries (6 MB) on this project's default profile, which a no-op run, whose views are sealed (view-seals.ts), never
// needs to parse or rewrite.
import { statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { readJson, writeFileAtomic } from './fs-atomic.ts';

interface Entry {
  size: number;
  mtimeMs: number;
  ino: number;
  value: string;
}

interface Namespace {
  entries: Record<string, Entry>;
  dirty: boolean;
}

export class StatCache {
  private readonly spaces = new Map<string, Namespace>();

  /** `dir` holds one `<namespace>.json` per namespace; null keeps the cache in memory only. */
  constructor(private readonly dir: string | null) {}

  /** The cached value for `path` in namespace `ns`, recomputed with `compute` when the file's stat changed. */
  get(ns: string, path: string, stats: Stats, compute: () => string): string {
    const known = this.peek(ns, path, stats);
    if (known !== undefined) return known;
    const value = compute();
    const space = this.space(ns);
    space.entries[path] = { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino, value };
    space.dirty = true;
    return value;
  }

  /** The cached value when `stats` are those it was computed for (a file with the same inode, size and mtime). */
  peek(ns: string, path: string, stats: Stats): string | undefined {
    const e = this.space(ns).entries[path];
    return e && e.size === stats.size && e.mtimeMs === stats.mtimeMs && e.ino === stats.ino ? e.value : undefined;
  }

  /** `key` names the entry (project-relative, so the cache works from any folder); `abs` is what is stat'ed. */
  getPath(ns: string, key: string, abs: string, compute: () => string): string {
    return this.get(ns, key, statSync(abs), compute);
  }

  /** Writes the namespaces that changed; concurrent writers race harmlessly (last atomic rename wins). */
  save(): void {
    if (!this.dir) return;
    for (const [ns, space] of this.spaces) {
      if (!space.dirty) continue;
      writeFileAtomic(join(this.dir, `${ns}.json`), JSON.stringify(space.entries));
      space.dirty = false;
    }
  }

  private space(ns: string): Namespace {
    let space = this.spaces.get(ns);
    if (!space) {
      space = { entries: this.dir ? (readJson<Record<string, Entry>>(join(this.dir, `${ns}.json`)) ?? {}) : {}, dirty: false };
      this.spaces.set(ns, space);
    }
    return space;
  }
}
