// Only what changed re-runs: cosmetic edits, helper edits, param changes, early cut-off, and keys that do not
// depend on the process or the folder.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ABCD, Fixture, stagesWith } from './fixture.ts';

const fx = new Fixture(ABCD);

test('first run runs everything; a second run finds everything fresh', () => {
  const first = fx.cli(['run']);
  assert.is(first.code, 0, first.stderr);
  assert.equal(stagesWith(first, 'ran'), ['a', 'b', 'c', 'd']);
  const second = fx.cli(['run']);
  assert.equal(stagesWith(second, 'fresh'), ['a', 'b', 'c', 'd']);
  assert.equal(stagesWith(second, 'ran'), []);
  assert.is(fx.read('artifacts/tiny/b/out.json').trim(), JSON.stringify({ value: 6 }, null, 2).trim());
});

test('editing comments and whitespace re-runs nothing', () => {
  fx.edit('stages/util.ts', (t) => `/* a new comment */\n\n${t.replace('=>', '   =>  ')}// trailing\n`);
  fx.edit('stages/a.ts', (t) => t.replace('run(ctx) {', 'run(ctx)   {\n    // explain the loop\n'));
  const r = fx.cli(['run']);
  assert.equal(stagesWith(r, 'ran'), []);
  assert.equal(stagesWith(r, 'fresh'), ['a', 'b', 'c', 'd']);
});

test('editing a helper re-runs only the stages that import it', () => {
  fx.edit('stages/util.ts', (t) => t.replace('x * k', 'x * k + 1'));
  const st = JSON.parse(fx.cli(['status', '--json']).stdout) as Array<{ stage: string; state: string; reasons: string[] }>;
  assert.equal(st.find((s) => s.stage === 'b')!.reasons, ['code stages/util.ts changed']);
  const r = fx.cli(['run']);
  assert.equal(stagesWith(r, 'ran'), ['b']);
  assert.equal(stagesWith(r, 'fresh'), ['a', 'c', 'd']);
});

test('a param change re-runs the stages declaring it and, through changed outputs, their downstream', () => {
  fx.edit('params.yaml', (t) => t.replace('b: {k: 2}', 'b: {k: 3}'));
  let r = fx.cli(['run']);
  assert.equal(stagesWith(r, 'ran'), ['b']);
  const started = r.events.find((e) => e.type === 'started' && e.stage === 'b') as { reasons: string[] };
  assert.equal(started.reasons, ['params b.k 2 -> 3']);
  fx.edit('params.yaml', (t) => t.replace('c: {mode: parity}', 'c: {mode: parity2}'));
  r = fx.cli(['run']);
  // c re-runs but writes the same bytes: d stays cached (early cut-off).
  assert.equal(stagesWith(r, 'ran'), ['c']);
  assert.ok(r.events.some((e) => e.type === 'ran' && e.stage === 'c' && e.cutOff));
  assert.equal(stagesWith(r, 'fresh'), ['a', 'b', 'd']);
});

test('early cut-off: upstream re-runs with identical outputs, downstream stays cached', () => {
  fx.edit('params.yaml', (t) => t.replace('a: {n: 3}', 'a: {n: 5}'));
  const r = fx.cli(['run']);
  // a's data changes (5 lines), so b and c re-run; c's parity is still "odd", so d does not.
  assert.equal(stagesWith(r, 'ran'), ['a', 'b', 'c']);
  assert.equal(stagesWith(r, 'fresh'), ['d']);
  const explain = fx.cli(['explain', 'd']);
  assert.match(explain.stdout, /d \(profile tiny\): fresh/);
});

test('switching back to earlier params restores from the store without running', () => {
  fx.edit('params.yaml', (t) => t.replace('a: {n: 5}', 'a: {n: 3}'));
  const r = fx.cli(['run']);
  assert.equal(stagesWith(r, 'ran'), []);
  assert.equal(stagesWith(r, 'cached'), ['a', 'b', 'c']);
});

test('keys are the same from another process and another folder', () => {
  const other = new Fixture(Object.fromEntries(Object.keys(ABCD).map((p) => [p, fx.read(p)])));
  const here = fx.cli(['run']);
  const there = other.cli(['run']);
  const keys = (r: typeof here) => Object.fromEntries(r.events.filter((e) => 'key' in e).map((e) => [(e as { stage: string }).stage, (e as { key: string }).key]));
  assert.equal(Object.keys(keys(there)).sort(), ['a', 'b', 'c', 'd']);
  assert.equal(keys(there), keys(here));
  const norm = (t: string) => t.replace(/duration_s: [\d.]+/g, 'duration_s: X');
  assert.is(norm(other.read('lockfiles/tiny.lock.yaml')), norm(fx.read('lockfiles/tiny.lock.yaml')));
  other.remove();
});

test('profiles have their own lock files and workspaces', () => {
  const r = fx.cli(['run', '--profile', 'smoke']);
  assert.is(r.code, 0);
  assert.ok(fx.exists('lockfiles/smoke.lock.yaml'));
  assert.ok(fx.exists('artifacts/smoke/a/data.txt'));
  assert.is(fx.read('artifacts/smoke/a/data.txt').trim().split('\n').length, 5);
  assert.is(fx.read('artifacts/tiny/a/data.txt').trim().split('\n').length, 3);
});

test('a no-op run leaves the lock file alone; a stage taken out of the pipeline leaves it at the next run', () => {
  const lock = join(fx.root, 'lockfiles/tiny.lock.yaml');
  const before = statSync(lock);
  assert.equal(stagesWith(fx.cli(['run']), 'fresh'), ['a', 'b', 'c', 'd']);
  const after = statSync(lock);
  assert.equal([after.ino, after.mtimeMs], [before.ino, before.mtimeMs], 'the lock file was written');
  fx.edit('pipeline.ts', (t) => t.replace('[a, b, c, d]', '[a, b, c]'));
  fx.cli(['run']);
  assert.not.match(fx.read('lockfiles/tiny.lock.yaml'), /^ {2}d:$/m);
  fx.edit('pipeline.ts', (t) => t.replace('[a, b, c]', '[a, b, c, d]'));
});

test('a run that rewrites the lock leaves its parse in the stat cache for the next command', () => {
  let k = '';
  fx.edit('params.yaml', (t) => t.replace(/b: \{k: (\d+)\}/, (_, was: string) => ((k = was), 'b: {k: 17}')));
  assert.equal(stagesWith(fx.cli(['run']), 'ran'), ['b']);
  const lock = statSync(join(fx.root, 'lockfiles/tiny.lock.yaml'));
  const cache = JSON.parse(fx.read('artifacts/store/stat-cache/yaml.json')) as Record<string, { size: number; mtimeMs: number; ino: number; value: string }>;
  const entry = cache['lockfiles/tiny.lock.yaml'];
  assert.ok(entry, 'no cached parse of the lock');
  assert.equal([entry.size, entry.mtimeMs, entry.ino], [lock.size, lock.mtimeMs, lock.ino], 'the cached parse is of an older lock');
  assert.equal(JSON.parse(entry.value), parse(fx.read('lockfiles/tiny.lock.yaml')));
  fx.edit('params.yaml', (t) => t.replace('b: {k: 17}', `b: {k: ${k}}`));
});

test.after(() => fx.remove());
test.run();
