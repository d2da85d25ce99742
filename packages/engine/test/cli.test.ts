// The command line as a user meets it: help for every command without a project, results on stdout and progress on
// stderr, a closed pipe ends it quietly, `stages`, `gc --dry`, a deleted workspace folder reported and restored,
// explain's keys while an upstream is pending, and runs() with every stage's columns.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { COMMANDS } from '../src/commands/index.ts';
import { runs } from '../src/notebook.ts';
import { ABCD, Fixture, stagesWith } from './fixture.ts';

const BIN = resolve(import.meta.dirname, '../bin/vthinker.js');
const fx = new Fixture(ABCD);
const vthinker = (args: string[], cwd = fx.root) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });

test('every command has --help, and help needs no project', () => {
  const empty = mkdtempSync(join(tmpdir(), 'vt-noproject-'));
  try {
    const list = vthinker(['--help'], empty);
    assert.is(list.status, 0);
    for (const name of Object.keys(COMMANDS)) {
      assert.match(list.stdout, new RegExp(`\\n  ${name}\\s`));
      const help = vthinker([name, '--help'], empty);
      assert.is(help.status, 0, `${name} --help: ${help.stderr}`);
      assert.match(help.stdout, new RegExp(`^vthinker ${name}\\b`));
    }
    const none = vthinker(['status'], empty);
    assert.is(none.status, 2);
    assert.match(none.stderr, /^vthinker: cannot load .*pipeline\.ts/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test("run: decisions on stderr, the summary on stdout; a typo'd option points at the command's help", () => {
  const r = vthinker(['run']);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ok: 4 ran in [\d.]+s\n$/);
  assert.match(r.stderr, /run\s+a /);
  const bad = vthinker(['run', '--frce', 'a']);
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /Unknown option '--frce'.*`vthinker run --help` lists its options/);
});

test('a reader that closes the pipe early ends the command quietly', async () => {
  const child = spawn(process.execPath, [BIN, 'status'], { cwd: fx.root, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  assert.is(code, 0);
  assert.not.match(stderr, /EPIPE|Error/);
});

test('stages lists each stage with its state; gc --dry lists what it would remove and how much', () => {
  assert.match(vthinker(['stages']).stdout, /^fresh\s+a\s*\nfresh\s+b\s*\nfresh\s+c\s*\nfresh\s+d\s*\n$/);
  fx.edit('params.yaml', (t) => t.replace('b: {k: 2}', 'b: {k: 4}'));
  assert.is(fx.cli(['run']).code, 0);
  fx.edit('params.yaml', (t) => t.replace('b: {k: 4}', 'b: {k: 2}'));
  assert.is(fx.cli(['run']).code, 0);
  const dry = vthinker(['gc', '--dry']);
  assert.match(dry.stdout, /artifacts\/store\/runs\/[0-9a-f]{64}\.json {2}\d+ bytes\n/);
  assert.match(dry.stdout, /artifacts\/store\/blobs\/[0-9a-f]{2}\/[0-9a-f]{62} {2}\d+ bytes\n/);
  assert.match(dry.stdout, /gc would remove 1 run record\(s\) and 1 blob\(s\), 0\.0 MiB \(\d+ bytes\)/);
  assert.match(vthinker(['gc', '--dry']).stdout, /would remove 1 run record/, '--dry removed nothing');
});

test('a deleted or edited workspace folder is reported by status and restored by run', () => {
  rmSync(join(fx.root, 'artifacts/tiny/a'), { recursive: true, force: true });
  const st = JSON.parse(fx.cli(['status', '--json']).stdout) as Array<{ stage: string; state: string; reasons: string[] }>;
  const a = st.find((s) => s.stage === 'a')!;
  assert.is(a.state, 'stale');
  assert.equal(a.reasons, [
    'workspace artifacts/tiny/a/data.txt was deleted: `vthinker run` restores it from the store',
    'workspace artifacts/tiny/a/parts was deleted: `vthinker run` restores it from the store',
  ]);
  assert.is(st.find((s) => s.stage === 'b')!.state, 'fresh');
  const r = fx.cli(['run']);
  assert.equal(stagesWith(r, 'cached'), ['a']);
  assert.equal(stagesWith(r, 'ran'), []);
  assert.is(fx.read('artifacts/tiny/a/data.txt'), '0\n1\n2\n');
  assert.equal(stagesWith(fx.cli(['run']), 'fresh'), ['a', 'b', 'c', 'd']);
});

test('explain shows no current key while an upstream decides it', () => {
  fx.edit('params.yaml', (t) => t.replace('a: {n: 3}', 'a: {n: 4}'));
  const r = vthinker(['explain', 'd']);
  assert.match(r.stdout, /d \(profile tiny\): stale\n {2}locked key {2}[0-9a-f]{12}\n {2}current key not known until c ran/);
  assert.not.match(r.stdout, /current key [0-9a-f]/);
  assert.match(vthinker(['explain', 'a']).stdout, /current key [0-9a-f]{12}\n {2}- params a\.n 3 -> 4/);
  fx.edit('params.yaml', (t) => t.replace('a: {n: 4}', 'a: {n: 3}'));
});

test("runs() has a column for every stage's params and metrics, not only the first row's", () => {
  const columns = runs({ root: fx.root }).columnNames();
  for (const c of ['param.a.n', 'param.b.k', 'param.c.mode', 'metric.n']) assert.ok(columns.includes(c), `${c} in ${columns.join(', ')}`);
});

test.after(() => fx.remove());
test.run();
