// The scheduler's options and the rest of the CLI: --dry, --until, --force, --keep-going, checkpoints, matrix
// stages, command stages, metrics, gc and the notebook API.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { load, runs } from '../src/notebook.ts';
import { ABCD, Fixture, stagesWith } from './fixture.ts';

const fx = new Fixture(ABCD);

test('--dry reports what would run and runs nothing', () => {
  const r = fx.cli(['run', '--dry']);
  assert.equal(stagesWith(r, 'would-run'), ['a', 'b', 'c', 'd']);
  assert.not.ok(fx.exists('lockfiles/tiny.lock.yaml'));
  assert.not.ok(fx.exists('artifacts/tiny'));
});

test('--dry leaves the workspace and lock file alone even when the store could restore outputs', () => {
  const other = new Fixture(ABCD);
  other.cli(['run']);
  const lock = other.read('lockfiles/tiny.lock.yaml');
  import_rm(join(other.root, 'artifacts/tiny'));
  import_rm(join(other.root, 'lockfiles'));
  const r = other.cli(['run', '--dry']);
  assert.equal(stagesWith(r, 'cached'), ['a', 'b', 'c', 'd']);
  assert.not.ok(other.exists('artifacts/tiny'), 'dry run materialised nothing');
  assert.not.ok(other.exists('lockfiles/tiny.lock.yaml'), 'dry run wrote no lock file');
  other.cli(['run']);
  assert.is(other.read('lockfiles/tiny.lock.yaml').replace(/duration_s: [\d.]+/g, ''), lock.replace(/duration_s: [\d.]+/g, ''));
  other.remove();
});

test('--until runs a stage and its ancestors only', () => {
  const r = fx.cli(['run', '--until', 'c']);
  assert.equal(stagesWith(r, 'ran'), ['a', 'c']);
  const st = JSON.parse(fx.cli(['status', '--json']).stdout) as Array<{ stage: string; state: string }>;
  assert.equal(Object.fromEntries(st.map((s) => [s.stage, s.state])), { a: 'fresh', b: 'missing', c: 'fresh', d: 'missing' });
});

test('--force re-runs a cached stage; identical outputs keep downstream cached', () => {
  fx.cli(['run']);
  const r = fx.cli(['run', '--force', 'a']);
  assert.equal(stagesWith(r, 'ran'), ['a']);
  assert.equal(stagesWith(r, 'fresh'), ['b', 'c', 'd']);
});

test('metrics --json and show', () => {
  const m = JSON.parse(fx.cli(['metrics', '--json']).stdout) as Record<string, Record<string, unknown>>;
  assert.equal(m.a, { n: 3 });
  assert.match(fx.cli(['show', 'a']).stdout, /data: file .*artifacts\/tiny\/a\/data\.txt/);
});

test('workspace outputs are read-only views; a deleted one is restored, a tampered one re-runs its stage', () => {
  const before = fx.read('artifacts/tiny/a/data.txt');
  import_rm(join(fx.root, 'artifacts/tiny/a'));
  let r = fx.cli(['run']);
  assert.equal(stagesWith(r, 'ran'), []);
  assert.is(fx.read('artifacts/tiny/a/data.txt'), before);
  // Only root can write through the read-only hardlink; the store notices the blob no longer matches its digest.
  if (process.getuid?.() === 0) {
    require_write(join(fx.root, 'artifacts/tiny/a/data.txt'));
    r = fx.cli(['run']);
    assert.equal(stagesWith(r, 'ran'), ['a']);
  } else assert.throws(() => require_write(join(fx.root, 'artifacts/tiny/a/data.txt')));
  assert.is(fx.read('artifacts/tiny/a/data.txt'), before);
  assert.equal(readdirSync(join(fx.root, 'artifacts/tiny/a/parts')).sort(), ['0.txt', '1.txt', '2.txt']);
});

test('notebook API: load by stage and output name, runs() as a table', () => {
  assert.equal(load('b', 'out', { root: fx.root }), { value: 6 });
  assert.is(load<string>('a', 'data', { root: fx.root }).trim(), '0\n1\n2');
  const table = runs({ root: fx.root });
  assert.ok(table.numRows() >= 4);
  assert.ok(table.columnNames().includes('param.a.n'));
  assert.throws(() => load('b', 'nope', { root: fx.root }), /has no output nope in profile tiny/);
});

test('gc keeps what lock files reference and removes the rest', () => {
  fx.edit('params.yaml', (t) => t.replace('b: {k: 2}', 'b: {k: 7}'));
  fx.cli(['run']);
  const r = fx.cli(['gc']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /removed 1 run record\(s\) and 1 blob\(s\)/);
  assert.equal(stagesWith(fx.cli(['run']), 'ran'), []);
});

const EXTRA: Record<string, string> = {
  'params.yaml': 'params:\n  steps: 4\n  fail: false\n',
  'stages/train.ts': `import { stage, file } from '@vthinker/engine';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
export default stage({
  name: 'train', module: import.meta.url, params: ['steps'], checkpoint: true, outputs: { model: file('model.txt') },
  run(ctx) {
    const ck = ctx.checkpointDir + '/step';
    let step = existsSync(ck) ? Number(readFileSync(ck, 'utf8')) : 0;
    const resumedFrom = step;
    for (; step < ctx.param<number>('steps'); step++) {
      writeFileSync(ck, String(step + 1));
      if (process.env.CRASH_AT === String(step + 1)) process.exit(3);
    }
    ctx.metric('resumed_from', resumedFrom);
    writeFileSync(ctx.output('model'), 'trained ' + step);
  },
});
`,
  'stages/matrix.ts': `import { matrix, file, from } from '@vthinker/engine';
import { readFileSync, writeFileSync } from 'node:fs';
export default matrix('eval', ['x', 'y'] as const, (variant) => ({
  module: import.meta.url, inputs: { model: from('train', 'model') }, outputs: { score: file('score.txt') },
  run(ctx) { writeFileSync(ctx.output('score'), variant + ':' + readFileSync(ctx.input('model'), 'utf8')); },
}));
`,
  'stages/fragile.ts': `import { stage, file } from '@vthinker/engine';
export default stage({ name: 'fragile', module: import.meta.url, params: ['fail'], outputs: { o: file('o') },
  run(ctx) { if (ctx.param('fail')) throw new Error('planted failure'); require_never(); } });
function require_never(): never { throw new Error('planted failure'); }
`,
  'tools/count.sh': 'wc -c < "$1" | tr -d " " > "$2"\n',
  'pipeline.ts': `import { pipeline, stage, file, from } from '@vthinker/engine';
import train from './stages/train.ts';
import evals from './stages/matrix.ts';
import fragile from './stages/fragile.ts';
const count = stage({ name: 'count', command: 'sh tools/count.sh {in.model} {out.n}', deps: ['tools/count.sh'],
  inputs: { model: from('train', 'model') }, outputs: { n: file('n.txt') } });
export default pipeline({ name: 'extra', stages: [train, ...evals, count, fragile] });
`,
};

test('checkpoints resume the same key after a crash, and are dropped when the key changes', () => {
  const ex = new Fixture(EXTRA);
  let r = ex.cli(['run', '--until', 'train'], { CRASH_AT: '3' });
  assert.is(r.code, 1);
  r = ex.cli(['run', '--until', 'train']);
  const ran = r.events.find((e) => e.type === 'ran' && e.stage === 'train') as { metrics: Record<string, number> };
  assert.is(ran.metrics.resumed_from, 3, 'resumed from the checkpoint of the interrupted run');
  assert.is(ex.read('artifacts/default/train/model.txt'), 'trained 4');
  ex.edit('params.yaml', (t) => t.replace('steps: 4', 'steps: 6'));
  r = ex.cli(['run', '--until', 'train'], { CRASH_AT: '2' });
  ex.edit('params.yaml', (t) => t.replace('steps: 6', 'steps: 5'));
  r = ex.cli(['run', '--until', 'train']);
  const again = r.events.find((e) => e.type === 'ran' && e.stage === 'train') as { metrics: Record<string, number> };
  assert.is(again.metrics.resumed_from, 0, 'a new key starts from scratch');
  const dir = join(ex.root, 'artifacts/store/checkpoints/default/train');
  assert.equal(existsSync(dir) ? readdirSync(dir) : [], [], 'no checkpoint left after success');
  ex.remove();
});

test('matrix stages, command stages and --keep-going', () => {
  const ex = new Fixture({ ...EXTRA, 'params.yaml': 'params:\n  steps: 2\n  fail: true\n' });
  let r = ex.cli(['run']);
  assert.is(r.code, 1);
  assert.ok(r.events.some((e) => e.type === 'failed' && e.stage === 'fragile' && /planted failure/.test(e.error)));
  r = ex.cli(['run', '--keep-going']);
  assert.is(r.code, 1);
  assert.ok(stagesWith(r, 'ran').includes('eval@x') || stagesWith(r, 'fresh').includes('eval@x'));
  assert.is(ex.read('artifacts/default/eval@y/score.txt'), 'y:trained 2');
  assert.is(ex.read('artifacts/default/count/n.txt').trim(), String('trained 2'.length));
  ex.edit('tools/count.sh', (t) => t.replace('tr -d " "', 'tr -d " \\n"'));
  r = ex.cli(['run', '--keep-going']);
  const started = r.events.find((e) => e.type === 'started' && e.stage === 'count') as { reasons: string[] };
  assert.equal(started.reasons, ['code tools/count.sh changed']);
  ex.remove();
});

test.after(() => fx.remove());
test.run();

function require_write(path: string): void {
  import_fs().writeFileSync(path, 'overwrite');
}
function import_fs() {
  return process.getBuiltinModule('node:fs') as typeof import('node:fs');
}
function import_rm(path: string): void {
  import_fs().rmSync(path, { recursive: true, force: true });
}
