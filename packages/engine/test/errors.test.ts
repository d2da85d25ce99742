// Bad input gets a clear error that names the problem and says how to fix it, and never touches the store or lock.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseParamsFile, resolveProfile } from '../src/params.ts';
import { ABCD, Fixture } from './fixture.ts';

const fx = new Fixture(ABCD);
fx.cli(['run']);
const snapshot = () => ({
  lock: fx.read('lockfiles/tiny.lock.yaml'),
  runs: readdirSync(join(fx.root, 'artifacts/store/runs')).sort(),
});
const before = snapshot();

const expectError = (pattern: RegExp, args: string[] = ['run']) => {
  const r = fx.cli(args);
  assert.is(r.code, 2, `exit code 2 for a user error; got ${r.code}\n${r.stderr}`);
  assert.match(r.stderr, pattern);
  assert.not.match(r.stderr, /\n\s+at /, 'no stack trace for a user error');
  assert.equal(snapshot(), before, 'store and lock file untouched');
};

test('YAML syntax error in params.yaml', () => {
  const good = fx.read('params.yaml');
  fx.write('params.yaml', 'params:\n  a: {n: 3\n');
  expectError(/params\.yaml is not valid YAML/);
  fx.write('params.yaml', good);
});

test('a profile that sets a parameter that does not exist, with a suggestion', () => {
  const good = fx.read('params.yaml');
  fx.write('params.yaml', good.replace('smoke: {a: {n: 5}}', 'smoke: {a: {nn: 5}}'));
  expectError(/profile smoke sets a\.nn, which is not a parameter in `params:` \(did you mean n\?\)/, ['run', '--profile', 'smoke']);
  fx.write('params.yaml', good);
});

test('an unknown profile lists the known ones', () => {
  expectError(/unknown profile "huge"; profiles in params\.yaml: smoke, tiny/, ['run', '--profile', 'huge']);
});

test('a stage declaring a param that does not exist', () => {
  const good = fx.read('stages/b.ts');
  fx.write('stages/b.ts', good.replace("params: ['b.k']", "params: ['b.kk']"));
  expectError(/stage b declares param b\.kk, which params\.yaml does not define \(did you mean b\.k\?\)/);
  fx.write('stages/b.ts', good);
});

test('a cycle in the graph is named', () => {
  const good = fx.read('stages/a.ts');
  fx.write('stages/a.ts', good.replace("params: ['a.n', 'seed'],", "params: ['a.n', 'seed'], inputs: { back: { stage: 'd', output: 'out' } },"));
  expectError(/the stages form a cycle: a -> d -> c -> a|the stages form a cycle: .*a.*d/);
  fx.write('stages/a.ts', good);
});

test('an input naming a missing stage or output', () => {
  const good = fx.read('stages/b.ts');
  fx.write('stages/b.ts', good.replace("from('a', 'data')", "from('aa', 'data')"));
  expectError(/stage b input data reads from stage aa, which does not exist \(did you mean a\?\)/);
  fx.write('stages/b.ts', good.replace("from('a', 'data')", "from('a', 'dta')"));
  expectError(/stage b input data reads output dta of a, which only has: data, parts/);
  fx.write('stages/b.ts', good);
});

test('reading an undeclared param fails the stage with how to fix it, and publishes nothing', () => {
  const good = fx.read('stages/c.ts');
  fx.write('stages/c.ts', good.replace("ctx.output('out'), lines % 2", "ctx.output('out'), String(ctx.param('b.k')) + lines % 2"));
  const r = fx.cli(['run']);
  assert.is(r.code, 1);
  assert.ok(r.events.some((e) => e.type === 'failed' && e.stage === 'c' && /reads param b\.k without declaring it/.test(e.error)));
  assert.ok(r.events.some((e) => e.type === 'skipped' && e.stage === 'd'));
  assert.equal(snapshot().lock, before.lock);
  fx.write('stages/c.ts', good);
});

test('unit: profiles overlay defaults deeply; arrays replace', () => {
  const file = parseParamsFile('params:\n  a: {x: 1, y: [1, 2]}\n  b: 2\nprofiles:\n  p: {a: {y: [3]}}\n', 'inline');
  assert.equal(resolveProfile(file, 'p').params, { a: { x: 1, y: [3] }, b: 2 });
  assert.is(resolveProfile(file).profile, 'p');
});

test.after(() => fx.remove());
test.run();
