// The package as a user gets it: packed (`npm pack`), installed into a project outside the repository, and the
// README's pipeline run there by the installed `vthinker`. The install is `npm ci --offline` with a lock file made
// from the workspace's package-lock.json: every tarball then comes from npm's cache, which the workspace's own
// `npm ci` filled, so this works on a fresh CI machine with no registry access and installs exactly the versions the
// repository tested.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { EngineEvent } from '../src/events.ts';
import { DEPENDENCIES, PACKAGE } from './fixture.ts';

interface LockEntry {
  version?: string;
  integrity?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  [field: string]: unknown;
}

const WORKSPACE = dirname(DEPENDENCIES);
const manifest = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as { name: string; version: string };
const README_PIPELINE = /^```ts\n([\s\S]*?)^```$/m.exec(readFileSync(join(PACKAGE, 'README.md'), 'utf8'))![1]!;
const project = mkdtempSync(join(tmpdir(), 'vt-install-'));

/** npm without the settings `npm test` passes its children (they would point it at the workspace). */
function npm(args: string[]): SpawnSyncReturns<string> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const r = spawnSync('npm', args, { cwd: project, encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed in ${project}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/**
 * The lock file of a project that depends on `tarball` only: the package's entry, and each package it needs
 * (dependencies and optional ones, transitively) as the workspace's lock has it, at the path npm would put it.
 */
function lockFor(tarball: string): object {
  const lock = JSON.parse(readFileSync(join(WORKSPACE, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const own = lock.packages['packages/engine'];
  if (!own) throw new Error(`${WORKSPACE}/package-lock.json has no entry packages/engine: run npm install at the workspace root`);
  const integrity = `sha512-${createHash('sha512').update(readFileSync(join(project, tarball))).digest('base64')}`;
  const packages: Record<string, LockEntry> = {
    '': { name: 'user-project', dependencies: { [manifest.name]: `file:${tarball}` } },
    [`node_modules/${manifest.name}`]: { ...own, name: undefined, resolved: `file:${tarball}`, integrity, devDependencies: undefined },
  };
  // Where the workspace installed what `from` (a lock path) requires: its own node_modules, then each folder up.
  const find = (from: string, name: string): string => {
    for (let dir = from; ; dir = dir.slice(0, dir.lastIndexOf('/node_modules/'))) {
      if (lock.packages[`${dir}/node_modules/${name}`]) return `${dir}/node_modules/${name}`;
      if (!dir.includes('/node_modules/')) break;
    }
    if (lock.packages[`node_modules/${name}`]) return `node_modules/${name}`;
    throw new Error(`the workspace lock has no ${name} for ${from}`);
  };
  const queue: Array<[from: string, at: string]> = [['packages/engine', `node_modules/${manifest.name}`]];
  while (queue.length) {
    const [from, at] = queue.pop()!;
    const entry = lock.packages[from]!;
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      const source = find(from, name);
      const target = source.startsWith('packages/engine/') ? `${at}/${source.slice('packages/engine/'.length)}` : source;
      if (packages[target]) continue;
      const dep = lock.packages[source]!;
      if (dep.link || !dep.integrity) throw new Error(`${source} in the workspace lock is not a registry package: cannot install it offline`);
      packages[target] = dep;
      queue.push([source, target]);
    }
  }
  return { name: 'user-project', lockfileVersion: 3, requires: true, packages: JSON.parse(JSON.stringify(packages)) };
}

function write(path: string, text: string): void {
  mkdirSync(dirname(join(project, path)), { recursive: true });
  writeFileSync(join(project, path), text);
}

/** The installed command, run the way `npx vthinker` runs it; `run` with --json so the test reads events. */
function vthinker(...args: string[]): { code: number; stdout: string; stderr: string; events: EngineEvent[] } {
  const bin = join(project, 'node_modules', '.bin', 'vthinker');
  const r = spawnSync(process.execPath, [bin, ...args, ...(args[0] === 'run' ? ['--json'] : [])], { cwd: project, encoding: 'utf8' });
  const events = args[0] === 'run' ? r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as EngineEvent) : [];
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, events };
}

const stagesThat = (events: EngineEvent[], type: EngineEvent['type']): string[] =>
  events.filter((e) => e.type === type).map((e) => (e as { stage: string }).stage).sort();

test('npm pack, then npm ci --offline in a project outside the repository: the core dependencies only', () => {
  const tarball = npm(['pack', PACKAGE, '--pack-destination', project, '--silent']).stdout.trim().split('\n').at(-1)!;
  write('package.json', JSON.stringify({ name: 'user-project', private: true, type: 'module', dependencies: { [manifest.name]: `file:${tarball}` } }));
  write('package-lock.json', JSON.stringify(lockFor(tarball), null, 2));
  npm(['ci', '--offline', '--no-audit', '--no-fund']);
  const installed = readdirSync(join(project, 'node_modules')).filter((n) => !n.startsWith('.'));
  assert.equal(installed.sort(), ['@esbuild', '@vthinker', 'esbuild', 'tsx', 'typescript', 'yaml']);
  const files = readdirSync(join(project, 'node_modules', '@vthinker', 'engine'));
  assert.ok(!files.includes('test'), `the package ships its tests: ${files}`);
});

test("the README's pipeline runs; editing a data file re-runs only the stages that read it", () => {
  write('pipeline.ts', README_PIPELINE);
  write('params.yaml', 'params:\n  scale: 2\n');
  write('data/points.csv', 'x,y\n1,2\n3,4\n');
  write('data/title.txt', 'sum of the scaled points:\n');
  let r = vthinker('run');
  assert.is(r.code, 0, r.stderr);
  assert.equal(stagesThat(r.events, 'ran'), ['prepare', 'report', 'total']);
  assert.is(readFileSync(join(project, 'artifacts', 'default', 'report', 'report.txt'), 'utf8'), 'sum of the scaled points:\n20\n');
  assert.equal(stagesThat(vthinker('run').events, 'fresh'), ['prepare', 'report', 'total']);

  write('data/title.txt', 'total:\n');
  const status = JSON.parse(vthinker('status', '--json').stdout) as Array<{ stage: string; state: string; reasons: string[] }>;
  assert.equal(status.map((s) => [s.stage, s.state]), [['prepare', 'fresh'], ['total', 'fresh'], ['report', 'stale']]);
  assert.equal(status[2]!.reasons, ['data data/title.txt changed']);
  r = vthinker('run');
  assert.equal(stagesThat(r.events, 'ran'), ['report']);
  assert.equal(stagesThat(r.events, 'fresh'), ['prepare', 'total']);

  write('data/points.csv', 'x,y\n1,2\n3,5\n');
  assert.equal(stagesThat(vthinker('run').events, 'ran'), ['prepare', 'report', 'total']);
});

test('a feature whose optional package is not installed says which package to install', () => {
  const r = vthinker('worker', '--queues', 'cpu');
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, 'needs the package ioredis, an optional peer dependency of @vthinker/engine: npm install ioredis');
});

test.after(() => rmSync(project, { recursive: true, force: true }));
test.run();
