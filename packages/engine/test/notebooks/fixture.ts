// A throw-away project for notebook-runner tests: a lock file whose outputs point at store blobs, notebooks that
// read them, and node_modules linked to the one the engine's dependencies are in (for Deno, tsc and @types).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import type { Notebook } from '../../src/notebooks/ipynb.ts';
import { StatCache } from '../../src/stat-cache.ts';
import { Store } from '../../src/store.ts';
import { DEPENDENCIES } from '../fixture.ts';

/** The project whose node_modules (and tsconfig.json) the fixtures use: the workspace root. */
export const repo = dirname(DEPENDENCIES);

export interface Fixture {
  root: string;
  store: Store;
  statCache: StatCache;
  /** Sets an output's content (a JSON value) in the store and the lock file. */
  output(stage: string, output: string, value: unknown): void;
  notebook(name: string, cells: string[]): void;
  cleanup(): void;
}

export function fixture(profile = 'p'): Fixture {
  const root = mkdtempSync(join(tmpdir(), 'vthinker-nb-'));
  writeFileSync(join(root, 'pipeline.ts'), 'export default {};\n');
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ extends: join(repo, 'tsconfig.json') }));
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  mkdirSync(join(root, 'notebooks'));
  const store = new Store(join(root, 'artifacts'));
  const stages: Record<string, { outputs: Record<string, unknown> }> = {};
  return {
    root,
    store,
    statCache: new StatCache(null),
    output(stage, output, value) {
      const text = JSON.stringify(value);
      const digest = store.putBytes(text);
      (stages[stage] ??= { outputs: {} }).outputs[output] = { kind: 'json', path: `${output}.json`, digest, size: text.length, files: 1 };
      mkdirSync(join(root, 'lockfiles'), { recursive: true });
      writeFileSync(join(root, 'lockfiles', `${profile}.lock.yaml`), stringify({ stages }));
    },
    notebook(name, cells) {
      const nb: Notebook = {
        cells: cells.map((source) => ({ cell_type: 'code', source, outputs: [], metadata: {}, execution_count: null })),
        metadata: { kernelspec: { name: 'deno', display_name: 'Deno' } },
        nbformat: 4,
        nbformat_minor: 5,
      };
      writeFileSync(join(root, 'notebooks', `${name}.ipynb`), JSON.stringify(nb));
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

