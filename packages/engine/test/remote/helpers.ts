// Shared by the remote tests: a project that has run, and a fresh clone of it (its files and lock file, no store).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ABCD, Fixture } from '../fixture.ts';

/** The ABCD fixture after a run of its default profile (tiny), with `config` as its .vthinker/config.yaml. */
export function ranProject(config: string): Fixture {
  const f = new Fixture({ ...ABCD, '.vthinker/config.yaml': config });
  const r = f.cli(['run']);
  if (r.code !== 0) throw new Error(`fixture run failed:\n${r.stdout}\n${r.stderr}`);
  return f;
}

/** What `git clone` would give: the project's files and lock file, no artifacts. */
export function cloneOf(f: Fixture, config = f.read('.vthinker/config.yaml')): Fixture {
  return new Fixture({ ...ABCD, '.vthinker/config.yaml': config, 'lockfiles/tiny.lock.yaml': f.read('lockfiles/tiny.lock.yaml') });
}

/** Relative path -> content of every file under a folder (the workspace a notebook reads). */
export function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel))) {
      const path = rel ? `${rel}/${name}` : name;
      if (statSync(join(dir, path)).isDirectory()) visit(path);
      else out[path] = readFileSync(join(dir, path), 'base64');
    }
  };
  visit('');
  return out;
}

/** Each stage's state from `vthinker status --json`. */
export function states(f: Fixture): Record<string, string> {
  const r = f.cli(['status', '--json']);
  if (r.code !== 0) throw new Error(`status failed: ${r.stderr}`);
  return Object.fromEntries((JSON.parse(r.stdout) as Array<{ stage: string; state: string }>).map((s) => [s.stage, s.state]));
}

export const ALL_FRESH = { a: 'fresh', b: 'fresh', c: 'fresh', d: 'fresh' };
