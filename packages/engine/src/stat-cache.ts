// Remembers, per file, (size, mtime, inode) -> a derived value (a content digest, a normalised code hash), so an
// unchanged file is never re-read. It is only a cache: a lost or stale entry costs a re-read, never a wrong answer,
// because any change of content changes mtime or size (and hardlinked store blobs never change).
import { readFileSync, statSync, type Stats } from 'node:fs';
import { writeFileAtomic } from './fs-atomic.ts';

interface Entry {
  size: number;
  mtimeMs: number;
  ino: number;
  value: string;
}

export class StatCache {
  private entries: Record<string, Entry> = {};
  private dirty = false;

  constructor(private readonly file: string | null) {
    if (!file) return;
    try {
      this.entries = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Entry>;
    } catch {
      this.entries = {};
    }
  }

  /** The cached value for `path` in namespace `ns`, recomputed with `compute` when the file's stat changed. */
  get(ns: string, path: string, stats: Stats, compute: () => string): string {
    const known = this.peek(ns, path, stats);
    if (known !== undefined) return known;
    const value = compute();
    this.entries[`${ns}:${path}`] = { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino, value };
    this.dirty = true;
    return value;
  }

  /** The cached value when `stats` are those it was computed for (a file with the same inode, size and mtime). */
  peek(ns: string, path: string, stats: Stats): string | undefined {
    const e = this.entries[`${ns}:${path}`];
    return e && e.size === stats.size && e.mtimeMs === stats.mtimeMs && e.ino === stats.ino ? e.value : undefined;
  }

  /** `key` names the entry (project-relative, so the cache works from any folder); `abs` is what is stat'ed. */
  getPath(ns: string, key: string, abs: string, compute: () => string): string {
    return this.get(ns, key, statSync(abs), compute);
  }

  /** Writes the cache if anything changed; concurrent writers race harmlessly (last atomic rename wins). */
  save(): void {
    if (!this.file || !this.dirty) return;
    writeFileAtomic(this.file, JSON.stringify(this.entries));
    this.dirty = false;
  }
}
