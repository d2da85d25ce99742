// Exclusive locks as files created with O_EXCL: they name their holder (pid, host, start) and carry a heartbeat
// (the file's mtime, refreshed while held). A lock is stale when its holder's process is gone (same host) or its
// heartbeat stopped (any host, e.g. a shared store over NFS); stale locks are broken by rename, so exactly one
// waiter wins the takeover.
import { openSync, closeSync, writeSync, readFileSync, renameSync, rmSync, statSync, utimesSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { processAlive } from './store.ts';

export interface LockHolder {
  pid: number;
  host: string;
  /** What the holder is doing, for "waiting for ..." messages. */
  what: string;
  startedAt: string;
}

export interface LockOptions {
  /** A heartbeat older than this marks the lock stale (ms). */
  staleMs?: number;
  /** How often a waiter looks again (ms). */
  pollMs?: number;
  /** Called once when the lock is busy, with a description of the holder. */
  onWait?: (holder: string) => void;
  /** Called when a stale lock was broken. */
  onStale?: (holder: string) => void;
}

export const describeHolder = (h: LockHolder | undefined): string =>
  h ? `pid ${h.pid} on ${h.host} (since ${h.startedAt}, ${h.what})` : 'another process';

export class FileLock {
  private timer: NodeJS.Timeout | undefined;
  private released = false;

  private constructor(readonly path: string, readonly holder: LockHolder, heartbeatMs: number) {
    this.timer = setInterval(() => {
      const now = new Date();
      try {
        utimesSync(this.path, now, now);
      } catch {
        /* the lock was broken by someone who judged us stale; release() will notice nothing to remove */
      }
    }, heartbeatMs);
    this.timer.unref();
  }

  static tryAcquire(path: string, what: string, options: LockOptions = {}): FileLock | undefined {
    const holder: LockHolder = { pid: process.pid, host: hostname(), what, startedAt: new Date().toISOString() };
    mkdirSync(dirname(path), { recursive: true });
    const staleMs = options.staleMs ?? 30_000;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, JSON.stringify(holder));
        closeSync(fd);
        return new FileLock(path, holder, Math.max(50, Math.floor(staleMs / 4)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = readHolder(path);
      if (!isStale(path, current, staleMs)) return undefined;
      const broken = `${path}.broken-${process.pid}-${attempt}`;
      try {
        renameSync(path, broken);
        rmSync(broken, { force: true });
        options.onStale?.(describeHolder(current));
      } catch {
        /* another waiter broke it first: try to create again */
      }
    }
    return undefined;
  }

  static async acquire(path: string, what: string, options: LockOptions = {}): Promise<FileLock> {
    let told = false;
    for (;;) {
      const lock = FileLock.tryAcquire(path, what, options);
      if (lock) return lock;
      if (!told) {
        told = true;
        options.onWait?.(describeHolder(readHolder(path)));
      }
      await new Promise((r) => setTimeout(r, options.pollMs ?? 200));
    }
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    const current = readHolder(this.path);
    if (current && current.pid === this.holder.pid && current.host === this.holder.host) rmSync(this.path, { force: true });
  }
}

export function readHolder(path: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

function isStale(path: string, holder: LockHolder | undefined, staleMs: number): boolean {
  if (holder && holder.host === hostname() && !processAlive(holder.pid)) return true;
  try {
    return Date.now() - statSync(path).mtimeMs > staleMs;
  } catch {
    return true;
  }
}
