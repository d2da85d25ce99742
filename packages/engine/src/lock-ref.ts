// What `params diff`, `metrics diff` and `plots` compare: lock files named the way a user thinks of them. A reference
// is a lock file's path, an experiment's name (`exp/NAME` or NAME), a profile's name, or a git revision (`HEAD~1`,
// a tag; `REV:NAME` for another profile's or experiment's lock at that revision), read with `git show`.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from './errors.ts';
import { experimentLock } from './experiment.ts';
import { lockNames } from './inspect.ts';
import { lockfilePath, parseLockfile, readLockfile, type LockFile } from './lockfile.ts';
import { msg } from './messages.ts';
import type { ParamValue } from './params.ts';
import type { Metrics } from './store.ts';

export interface NamedLock {
  /** How the reference is shown (the user's words). */
  label: string;
  lock: LockFile;
}

/** The lock a reference names; `profile` is the lock a bare git revision reads (the default profile's). */
export function resolveLockRef(root: string, ref: string, profile: string, cwd = process.cwd()): NamedLock {
  const known = lockNames(root);
  if (known.includes(ref)) return { label: ref, lock: readLockfile(root, ref) };
  if (known.includes(experimentLock(ref))) return { label: ref, lock: readLockfile(root, experimentLock(ref)) };
  const file = [resolve(cwd, ref), resolve(root, ref)].find((p) => /\.ya?ml$/.test(p) && existsSync(p));
  if (file) return { label: ref, lock: parseLockfile(readFileSync(file, 'utf8'), ref, file) };
  const colon = ref.indexOf(':');
  const [rev, name] = colon > 0 ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, profile];
  if (!isRevision(root, rev)) throw new UserError(msg.unknownLockRef(ref, known));
  const path = `./${lockfilePath('', name).replace(/^\/+/, '')}`;
  let text: string;
  try {
    text = execFileSync('git', ['show', `${rev}:${path}`], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  } catch {
    throw new UserError(msg.lockNotAtRevision(rev, path.slice(2)));
  }
  return { label: colon > 0 ? ref : `${rev} (${name})`, lock: parseLockfile(text, name, `${rev}:${path.slice(2)}`) };
}

function isRevision(root: string, rev: string): boolean {
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: root, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Every param the lock's stages declared, as dotted leaf keys (a declared subtree is spread into its leaves). */
export function lockParams(lock: LockFile): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  const spread = (key: string, value: ParamValue) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) spread(`${key}.${k}`, v);
    else out[key] ??= value;
  };
  for (const entry of Object.values(lock.stages)) for (const [key, value] of Object.entries(entry.preimage?.params ?? {})) spread(key, value);
  return sortKeys(out);
}

/** Every metric in the lock as `stage.metric`. */
export function lockMetrics(lock: LockFile): Metrics {
  const out: Metrics = {};
  for (const [stage, entry] of Object.entries(lock.stages)) for (const [k, v] of Object.entries(entry.metrics ?? {})) out[`${stage}.${k}`] = v;
  return sortKeys(out);
}

const sortKeys = <T>(r: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)));
