// Data inputs: a file or folder of the project declared in a stage's inputs enters its key, so editing it re-runs that
// stage and its dependants only; status and explain name the data; a missing file is a clear error; unchanged files
// are never re-read (stat cache).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashDataInput } from '../src/data-inputs.ts';
import { file } from '../src/define.ts';
import { StatCache } from '../src/stat-cache.ts';
import { Fixture, stagesWith } from './fixture.ts';

const PROJECT: Record<string, string> = {
  'params.yaml': 'params:\n  seed: 1\n',
  'data/data.csv': 'x,y\n1,2\n3,4\n',
  'data/raw/a.txt': 'alpha',
  'stages/prepare.ts': `import { stage, file } from '@vthinker/engine';
import { readFileSync, writeFileSync } from 'node:fs';
export default stage({
  name: 'prepare', module: import.meta.url, inputs: { table: file('data/data.csv') },
  outputs: { rows: file('rows.txt') },
  run(ctx) { writeFileSync(ctx.output('rows'), String(readFileSync(ctx.input('table'), 'utf8').trim().split('\\n').length - 1)); },
});
`,
  'stages/train.ts': `import { stage, file, from } from '@vthinker/engine';
import { readFileSync, writeFileSync } from 'node:fs';
export default stage({
  name: 'train', module: import.meta.url, inputs: { rows: from('prepare', 'rows') },
  outputs: { model: file('model.txt') },
  run(ctx) { writeFileSync(ctx.output('model'), 'rows=' + readFileSync(ctx.input('rows'), 'utf8')); },
});
`,
  'stages/images.ts': `import { stage, file, dir } from '@vthinker/engine';
import { readdirSync, writeFileSync } from 'node:fs';
export default stage({
  name: 'images', module: import.meta.url, inputs: { raw: dir('data/raw') },
  outputs: { count: file('count.txt') },
  run(ctx) { writeFileSync(ctx.output('count'), String(readdirSync(ctx.input('raw')).length)); },
});
`,
  'stages/solo.ts': `import { stage, file } from '@vthinker/engine';
import { writeFileSync } from 'node:fs';
export default stage({
  name: 'solo', module: import.meta.url, params: ['seed'], outputs: { out: file('out.txt') },
  run(ctx) { writeFileSync(ctx.output('out'), 'seed ' + ctx.param('seed')); },
});
`,
  'pipeline.ts': `import { pipeline, stage, file } from '@vthinker/engine';
import prepare from './stages/prepare.ts';
import train from './stages/train.ts';
import images from './stages/images.ts';
import solo from './stages/solo.ts';
const wc = stage({ name: 'wc', inputs: { table: file('data/data.csv') }, outputs: { n: file('n.txt') }, command: 'wc -l < {in.table} > {out.n}' });
export default pipeline({ name: 'data', stages: [prepare, train, images, solo, wc] });
`,
};

const fx = new Fixture(PROJECT);
type Status = Array<{ stage: string; state: string; reasons: string[] }>;
const status = () => JSON.parse(fx.cli(['status', '--json']).stdout) as Status;

test('a stage reads its data file through ctx.input; a second run is a no-op', () => {
  const first = fx.cli(['run']);
  assert.is(first.code, 0, first.stderr);
  assert.equal(stagesWith(first, 'ran'), ['images', 'prepare', 'solo', 'train', 'wc']);
  assert.is(fx.read('artifacts/default/prepare/rows.txt'), '2');
  assert.is(fx.read('artifacts/default/images/count.txt'), '1');
  assert.is(fx.read('artifacts/default/wc/n.txt').trim(), '3');
  assert.equal(stagesWith(fx.cli(['run']), 'fresh'), ['images', 'prepare', 'solo', 'train', 'wc']);
  assert.match(fx.read('lockfiles/default.lock.yaml'), /data\/data\.csv: sha256:/);
});

test('editing a data file re-runs only its dependants, and status and explain name it', () => {
  fx.write('data/data.csv', 'x,y\n1,2\n3,4\n5,6\n');
  const st = status();
  assert.equal(st.find((s) => s.stage === 'prepare')!.reasons, ['data data/data.csv changed']);
  assert.equal(st.find((s) => s.stage === 'wc')!.reasons, ['data data/data.csv changed']);
  assert.equal(st.filter((s) => s.state === 'fresh').map((s) => s.stage).sort(), ['images', 'solo']);
  assert.match(fx.cli(['explain', 'prepare']).stdout, /- data data\/data\.csv changed/);
  const r = fx.cli(['run']);
  assert.equal(stagesWith(r, 'ran'), ['prepare', 'train', 'wc']);
  assert.equal(stagesWith(r, 'fresh'), ['images', 'solo']);
  assert.is(fx.read('artifacts/default/train/model.txt'), 'rows=3');
});

test('adding a file to a data folder re-runs the stage that reads the folder', () => {
  fx.write('data/raw/b.txt', 'beta');
  const r = fx.cli(['run']);
  assert.equal(stagesWith(r, 'ran'), ['images']);
  const started = r.events.find((e) => e.type === 'started') as { reasons: string[] };
  assert.equal(started.reasons, ['data data/raw changed']);
  assert.is(fx.read('artifacts/default/images/count.txt'), '2');
});

test('a missing data file is a one-line error naming the stage and the path', () => {
  rmSync(join(fx.root, 'data/data.csv'));
  for (const args of [['status'], ['run']]) {
    const r = fx.cli(args);
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, /stage prepare input table reads data\/data\.csv, which does not exist/);
    assert.not.match(r.stderr, /\n\s+at /);
  }
  fx.write('data/data.csv', 'x,y\n1,2\n3,4\n5,6\n');
});

test('a data path outside the project is refused when the pipeline loads', () => {
  const bad = new Fixture({ ...PROJECT, 'stages/prepare.ts': PROJECT['stages/prepare.ts']!.replace("file('data/data.csv')", "file('../data.csv')") });
  const r = bad.cli(['status']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /stage prepare input table reads "\.\.\/data\.csv": a data input is a path inside the project/);
  bad.remove();
});

test('an unchanged data file is never re-read: its digest comes from the stat cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vt-data-'));
  const path = join(dir, 'd.csv');
  writeFileSync(path, 'aaaa');
  utimesSync(path, 1e9, 1e9);
  const cache = new StatCache(null);
  const spec = file('d.csv');
  const before = hashDataInput(dir, 's', 'd', spec, cache);
  // Same size, inode and mtime, other bytes: only a read could notice, so an unchanged digest proves there was none.
  writeFileSync(path, 'bbbb');
  utimesSync(path, 1e9, 1e9);
  assert.is(hashDataInput(dir, 's', 'd', spec, cache), before);
  assert.is.not(hashDataInput(dir, 's', 'd', spec, new StatCache(null)), before);
  rmSync(dir, { recursive: true, force: true });
});

test.after(() => fx.remove());
test.run();
