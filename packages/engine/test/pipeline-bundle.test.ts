// The compiled pipeline: loaded from its bundle while nothing it was compiled from changed, compiled again when a
// stage file or a helper changes, stage bodies left out of it (their code loads only when the stage runs), and
// pipelines that cannot be bundled still load (through tsx).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundlePath, unkeptImport } from '../src/pipeline-bundle.ts';
import { loadProject } from '../src/project.ts';
import { ABCD, Fixture, stagesWith } from './fixture.ts';

// Stage e's body imports heavy.ts, which says so on disk when it is evaluated.
const HEAVY = {
  ...ABCD,
  'stages/heavy.ts': `import { writeFileSync } from 'node:fs';
writeFileSync(new URL('../heavy-loaded.txt', import.meta.url), 'heavy module evaluated');
export const weigh = (n: number) => n * 1000;
`,
  'stages/e.ts': `import { stage, file } from '@vthinker/engine';
import { writeFileSync } from 'node:fs';
export default stage({
  name: 'e', description: 'weighs', module: import.meta.url, outputs: { out: file('e.txt') },
  async run(ctx) {
    const { weigh } = await import('./heavy.ts');
    writeFileSync(ctx.output('out'), String(weigh(2)));
  },
});
`,
  'pipeline.ts': ABCD['pipeline.ts']!.replace("import d from './stages/d.ts';", "import d from './stages/d.ts';\nimport e from './stages/e.ts';").replace('[a, b, c, d]', '[a, b, c, d, e]'),
};

const descriptionOf = async (root: string, stage: string) => (await loadProject(root)).graph.byName.get(stage)!.description;
const bundleOf = (fx: Fixture) => bundlePath(fx.root, join(fx.root, 'pipeline.ts'))!;

test('the pipeline loads from its bundle, which is reused while no file it was compiled from changed', async () => {
  const fx = new Fixture(HEAVY);
  assert.is(await descriptionOf(fx.root, 'e'), 'weighs');
  // Marking the bundle shows which one the next command uses (a new process: this one keeps the module it imported).
  writeFileSync(bundleOf(fx), readFileSync(bundleOf(fx), 'utf8').replace('"weighs"', '"read from the bundle"'));
  assert.match(fx.cli(['show', 'e']).stdout, /^e: read from the bundle$/m);
  fx.remove();
});

test('an edited stage file or helper is noticed: the bundle is compiled again and the stage re-keyed', async () => {
  const fx = new Fixture(HEAVY);
  assert.is(fx.cli(['run']).code, 0);
  fx.edit('stages/e.ts', (t) => t.replace("'weighs'", "'weighs twice'"));
  assert.is(await descriptionOf(fx.root, 'e'), 'weighs twice');
  // A helper that only the declarations import (b's util.ts): the bundle holds it, and the key covers it.
  fx.edit('stages/util.ts', (t) => t.replace('x * k', 'x * k + 1'));
  const before = readFileSync(bundleOf(fx), 'utf8');
  const st = JSON.parse(fx.cli(['status', '--json']).stdout) as Array<{ stage: string; state: string; reasons: string[] }>;
  assert.equal(st.find((s) => s.stage === 'b')!.reasons, ['code stages/util.ts changed']);
  assert.is.not(readFileSync(bundleOf(fx), 'utf8'), before, 'compiled again');
  assert.match(readFileSync(bundleOf(fx), 'utf8'), 'x * k + 1');
  assert.equal(stagesWith(fx.cli(['run']), 'ran'), ['b', 'e']);
  fx.remove();
});

test('stage code stays out of the bundle: a no-op run never evaluates it, a run imports it from its file', () => {
  const fx = new Fixture(HEAVY);
  assert.is(fx.cli(['run']).code, 0);
  assert.is(fx.read('artifacts/tiny/e/e.txt'), '2000');
  rmSync(join(fx.root, 'heavy-loaded.txt'));
  assert.equal(stagesWith(fx.cli(['run']), 'fresh'), ['a', 'b', 'c', 'd', 'e']);
  assert.not.ok(fx.exists('heavy-loaded.txt'), 'a no-op run evaluated the stage body');
  const bundle = readFileSync(bundleOf(fx), 'utf8');
  assert.not.match(bundle, 'heavy module evaluated');
  assert.ok(bundle.includes(`import(${JSON.stringify(pathToFileURL(join(fx.root, 'stages/heavy.ts')).href)})`));
  // In this process, from the bundle: the body's import finds heavy.ts.
  const r = fx.cli(['run', '--force', 'e', '--executor', 'inline']);
  assert.equal(stagesWith(r, 'ran'), ['e'], r.stderr);
  assert.ok(fx.exists('heavy-loaded.txt'));
  fx.remove();
});

test('a pipeline the bundle cannot hold (a computed import) still loads, through tsx', async () => {
  const fx = new Fixture({
    ...HEAVY,
    'stages/e.ts': HEAVY['stages/e.ts'].replace("await import('./heavy.ts')", "await import(['.', 'heavy.ts'].join('/'))"),
  });
  assert.is(await descriptionOf(fx.root, 'e'), 'weighs');
  assert.not.ok(existsSync(bundleOf(fx)), 'no bundle kept');
  const r = fx.cli(['run']);
  assert.is(r.code, 0, r.stderr);
  assert.is(fx.read('artifacts/tiny/e/e.txt'), '2000');
  fx.remove();
});

test('unkeptImport: computed imports, require and globs are found; a string that mentions import( is not an import', () => {
  assert.is(unkeptImport('const m = await import(name);'), 'import(name)');
  assert.is(unkeptImport('const m = __require("x");'), '__require');
  assert.is(unkeptImport('const m = __glob({})(`./m/${n}.js`);'), '__glob');
  assert.is(unkeptImport('const m = await import("file:///a.ts"); const script = `import(${JSON.stringify(e)}).then(f)`;'), undefined);
});

test('a stage that hands a child process a script mentioning import( still loads from the bundle', async () => {
  const fx = new Fixture({
    ...HEAVY,
    'stages/e.ts': HEAVY['stages/e.ts'].replace("export default stage(", "export const probe = (entry: string) => `import(${JSON.stringify(entry)}).then((m) => m)`;\nexport default stage("),
  });
  assert.is(await descriptionOf(fx.root, 'e'), 'weighs');
  assert.ok(existsSync(bundleOf(fx)), 'the bundle is kept');
  fx.remove();
});

test.run();
