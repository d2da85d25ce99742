// `vthinker gc [--dry]`: removes store entries that no lock file (a profile's or an experiment's) references.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UserError } from '../errors.ts';
import { lockedKeys } from '../inspect.ts';
import { FileLock } from '../locks.ts';
import { msg } from '../messages.ts';
import type { Project } from '../project.ts';
import { out, type Command } from './command.ts';

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export const gc: Command = {
  help: `vthinker gc [--dry]

  Removes run records and blobs that no lock file under lockfiles/ (profiles and experiments) references, nor the
  latest report of a profile. Refuses while a run holds a stage lock.

  --dry              list what would be removed (path and size of each file) and the total; remove nothing`,
  options: { dry: { type: 'boolean' } },
  run(project, values) {
    // A run in progress holds a key lock and may not have written its lock-file entry yet: never collect under it.
    const guard = FileLock.tryAcquire(join(project.store.locks, 'gc.lock'), 'gc');
    if (!guard) throw new UserError(msg.gcRefusedBusy('another gc'));
    try {
      const busy = listKeyLocks(project);
      if (busy) throw new UserError(msg.gcRefusedBusy(busy));
      const keep = lockedKeys(project.root);
      if (values.dry) {
        const plan = project.store.gcPlan(keep);
        for (const f of [...plan.runs, ...plan.blobs]) out(`${relative(project.root, f.path)}  ${f.bytes} bytes`);
        const bytes = [...plan.runs, ...plan.blobs].reduce((n, f) => n + f.bytes, 0);
        out(`gc would remove ${plan.runs.length} run record(s) and ${plan.blobs.length} blob(s), ${mib(bytes)} (${bytes} bytes); it keeps ${keep.size} run(s) referenced by lockfiles/`);
        return 0;
      }
      const freed = project.store.gc(keep);
      out(`gc: kept ${keep.size} run(s); removed ${freed.runs} run record(s) and ${freed.blobs} blob(s), ${mib(freed.bytes)}`);
      return 0;
    } finally {
      guard.release();
    }
  },
};

function listKeyLocks(project: Project): string | undefined {
  for (const name of safeList(project.store.locks)) {
    if (!name.endsWith('.lock') || name === 'gc.lock' || name.startsWith('lockfile-')) continue;
    const holder = FileLock.tryAcquire(join(project.store.locks, name), 'gc probe', { staleMs: 30_000 });
    if (!holder) return `a run (${name})`;
    holder.release();
  }
  return undefined;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
