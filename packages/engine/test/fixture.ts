// Throwaway projects for engine tests: a temp folder with package.json, params.yaml, stages and pipeline.ts that
// import the engine as the package `@vthinker/engine` (so keys do not depend on where the fixture lives).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { EngineEvent } from '../src/events.ts';

/** The engine package (packages/engine) and its command. */
export const PACKAGE = resolve(import.meta.dirname, '..');
export const BIN = join(PACKAGE, 'bin', 'vthinker.js');
/** The node_modules folder the engine's dependencies are installed in (the workspace root's: npm hoists them). */
export const DEPENDENCIES = resolve(dirname(createRequire(import.meta.url).resolve('yaml/package.json')), '..');
let modules: string | undefined;

/**
 * A node_modules folder with the installed packages plus `@vthinker/engine` itself, shared by every fixture. Named
 * node_modules like a real one: the compiled pipeline is kept in it and resolves packages from it.
 */
function sharedModules(): string {
  if (modules) return modules;
  modules = join(mkdtempSync(join(tmpdir(), 'vt-modules-')), 'node_modules');
  mkdirSync(join(modules, '@vthinker'), { recursive: true });
  for (const name of readdirSync(DEPENDENCIES)) {
    if (name.startsWith('.') || name === '@vthinker') continue;
    symlinkSync(join(DEPENDENCIES, name), join(modules, name));
  }
  symlinkSync(PACKAGE, join(modules, '@vthinker', 'engine'));
  return modules;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  events: EngineEvent[];
}

export class Fixture {
  readonly root: string;
  /** Runs started with `start`: `remove` ends any still going, so a failed test cannot leave one holding the runner open. */
  private readonly started: ChildProcess[] = [];

  constructor(files: Record<string, string>, dir?: string) {
    this.root = dir ?? mkdtempSync(join(tmpdir(), 'vt-fixture-'));
    mkdirSync(this.root, { recursive: true });
    symlinkSync(sharedModules(), join(this.root, 'node_modules'));
    this.write('package.json', JSON.stringify({ name: 'fixture', type: 'module' }));
    for (const [path, text] of Object.entries(files)) this.write(path, text);
  }

  write(path: string, text: string): void {
    const full = join(this.root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }

  read(path: string): string {
    return readFileSync(join(this.root, path), 'utf8');
  }

  exists(path: string): boolean {
    return existsSync(join(this.root, path));
  }

  edit(path: string, change: (text: string) => string): void {
    this.write(path, change(this.read(path)));
  }

  /** Runs the CLI to completion; `run` gets --json so tests read events, not prose. */
  cli(args: string[], env: Record<string, string> = {}): CliResult {
    const full = args[0] === 'run' ? [...args, '--json'] : args;
    const r = spawnSync(process.execPath, [BIN, ...full], { cwd: this.root, encoding: 'utf8', env: { ...process.env, ...env } });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, events: parseEvents(r.stdout) };
  }

  /** Starts `vthinker run --json` in the background, for crash and concurrency tests. */
  start(args: string[] = [], env: Record<string, string> = {}) {
    const child = spawn(process.execPath, [BIN, 'run', '--json', ...args], { cwd: this.root, env: { ...process.env, ...env } });
    this.started.push(child);
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => (stdout += c));
    const exited = new Promise<CliResult>((res) => child.on('exit', (code) => res({ code: code ?? -1, stdout, stderr: '', events: parseEvents(stdout) })));
    const waitFor = async (pred: (e: EngineEvent) => boolean, ms = 20_000): Promise<void> => {
      const until = Date.now() + ms;
      while (!parseEvents(stdout).some(pred)) {
        if (Date.now() > until) throw new Error(`timed out waiting for an event; got:\n${stdout}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    return { child, exited, waitFor };
  }

  remove(): void {
    for (const child of this.started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(this.root, { recursive: true, force: true });
  }
}

function parseEvents(stdout: string): EngineEvent[] {
  return stdout.split('\n').flatMap((l) => {
    try {
      return l.startsWith('{') ? [JSON.parse(l) as EngineEvent] : [];
    } catch {
      return [];
    }
  });
}

/** Names of stages with a given outcome event in a run. */
export const stagesWith = (r: CliResult, type: EngineEvent['type']): string[] =>
  r.events.filter((e) => e.type === type).map((e) => (e as { stage: string }).stage).sort();

/** A four-stage pipeline: a -> b (uses a helper), a -> c -> d (c's output is a's line count parity: cut-off). */
export const ABCD: Record<string, string> = {
  'params.yaml': `default_profile: tiny
params:
  seed: 1
  a: {n: 3}
  b: {k: 2}
  c: {mode: parity}
profiles:
  smoke: {a: {n: 5}}
  tiny: {}
`,
  'stages/util.ts': `// a helper only b imports
export const scale = (x: number, k: number) => x * k;
`,
  'stages/a.ts': `import { stage, file, dir } from '@vthinker/engine';
import { mkdirSync, writeFileSync } from 'node:fs';
export default stage({
  name: 'a', module: import.meta.url, params: ['a.n', 'seed'],
  outputs: { data: file('data.txt'), parts: dir('parts') },
  run(ctx) {
    const n = ctx.param<number>('a.n');
    writeFileSync(ctx.output('data'), Array.from({ length: n }, (_, i) => String(i)).join('\\n') + '\\n');
    mkdirSync(ctx.output('parts'), { recursive: true });
    for (let i = 0; i < n; i++) writeFileSync(ctx.output('parts') + '/' + i + '.txt', String(i * i));
    ctx.metric('n', n);
  },
});
`,
  'stages/b.ts': `import { stage, file, from } from '@vthinker/engine';
import { readFileSync } from 'node:fs';
import { scale } from './util.ts';
export default stage({
  name: 'b', module: import.meta.url, params: ['b.k'], inputs: { data: from('a', 'data') },
  outputs: { out: file('out.json') },
  run(ctx) {
    const lines = readFileSync(ctx.input('data'), 'utf8').trim().split('\\n').length;
    ctx.writeJson('out', { value: scale(lines, ctx.param<number>('b.k')) });
  },
});
`,
  'stages/c.ts': `import { stage, file, from } from '@vthinker/engine';
import { readFileSync, writeFileSync } from 'node:fs';
export default stage({
  name: 'c', module: import.meta.url, params: ['c.mode'], inputs: { data: from('a', 'data') },
  outputs: { out: file('parity.txt') },
  run(ctx) {
    const lines = readFileSync(ctx.input('data'), 'utf8').trim().split('\\n').length;
    writeFileSync(ctx.output('out'), lines % 2 ? 'odd' : 'even');
  },
});
`,
  'stages/d.ts': `import { stage, file, from } from '@vthinker/engine';
import { readFileSync, writeFileSync } from 'node:fs';
export default stage({
  name: 'd', module: import.meta.url, inputs: { parity: from('c', 'out') },
  outputs: { out: file('d.txt') },
  run(ctx) { writeFileSync(ctx.output('out'), 'parity was ' + readFileSync(ctx.input('parity'), 'utf8')); },
});
`,
  'pipeline.ts': `import { pipeline } from '@vthinker/engine';
import a from './stages/a.ts';
import b from './stages/b.ts';
import c from './stages/c.ts';
import d from './stages/d.ts';
export default pipeline({ name: 'abcd', stages: [a, b, c, d] });
`,
};
