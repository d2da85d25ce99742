// Experiments: `run --set` runs a variant of a profile in the same store, sharing every stage the override does not
// reach; its lock goes to lockfiles/exp/<name>.lock.yaml; `exp show`, `params diff`, `metrics diff` and `plots`
// compare it with the baseline.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fixture, stagesWith } from './fixture.ts';

const PROJECT: Record<string, string> = {
  'params.yaml': `default_profile: base
params:
  train: {lr: 0.1, steps: 4}
  eval: {k: 1}
profiles:
  base: {}
`,
  'stages/train.ts': `import { stage, file } from '@vthinker/engine';
import { writeFileSync } from 'node:fs';
export default stage({
  name: 'train', module: import.meta.url, params: ['train'], outputs: { model: file('model.txt'), curve: file('curve.jsonl') },
  run(ctx) {
    const lr = ctx.param<number>('train.lr');
    const rows = Array.from({ length: ctx.param<number>('train.steps') }, (_, i) => JSON.stringify({ step: i + 1, loss: 1 / (1 + lr * (i + 1)) }));
    writeFileSync(ctx.output('curve'), rows.join('\\n') + '\\n');
    writeFileSync(ctx.output('model'), 'lr ' + lr);
    ctx.metric('loss_final', 1 / (1 + lr * rows.length));
  },
});
`,
  'stages/evaluate.ts': `import { stage, file, from } from '@vthinker/engine';
import { readFileSync, writeFileSync } from 'node:fs';
export default stage({
  name: 'evaluate', module: import.meta.url, params: ['eval.k'], inputs: { model: from('train', 'model') }, outputs: { score: file('score.txt') },
  run(ctx) {
    const score = readFileSync(ctx.input('model'), 'utf8').length * ctx.param<number>('eval.k');
    writeFileSync(ctx.output('score'), String(score));
    ctx.metric('score', score);
  },
});
`,
  'pipeline.ts': `import { pipeline } from '@vthinker/engine';
import train from './stages/train.ts';
import evaluate from './stages/evaluate.ts';
export default pipeline({ name: 'exp', stages: [train, evaluate] });
`,
};

const fx = new Fixture(PROJECT);

test('an experiment re-runs only what its override reaches and records its own lock and workspace', () => {
  assert.is(fx.cli(['run']).code, 0);
  const r = fx.cli(['run', '--set', 'eval.k=3', '--name', 'k3']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(stagesWith(r, 'ran'), ['evaluate']);
  assert.equal(stagesWith(r, 'cached'), ['train'], 'train is shared with the baseline');
  const lock = fx.read('lockfiles/exp/k3.lock.yaml');
  assert.match(lock, /experiment:\n\s+profile: base\n\s+set:\n\s+eval\.k: 3/);
  assert.is(fx.read('artifacts/exp/k3/evaluate/score.txt'), String('lr 0.1'.length * 3));
  assert.is(fx.read('artifacts/base/evaluate/score.txt'), String('lr 0.1'.length), 'the baseline workspace is untouched');
  assert.equal(stagesWith(fx.cli(['run', '--name', 'k3']), 'fresh'), ['evaluate', 'train'], '--name alone repeats it');
});

test('overrides are validated like profiles: unknown keys name the close ones, shapes must match', () => {
  let r = fx.cli(['run', '--set', 'train.lrr=0.2']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /--set train\.lrr: params\.yaml has no param train\.lrr; close names: train\.lr/);
  r = fx.cli(['run', '--set', 'train=3']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /the profile's train is a mapping/);
  r = fx.cli(['run', '--set', 'eval.k']);
  assert.match(r.stderr, /write KEY=VALUE/);
  assert.match(fx.cli(['run', '--name', 'nope']).stderr, /no experiment named nope; recorded experiments: k3/);
});

test('an unnamed experiment is named by its overrides; YAML values', () => {
  const r = fx.cli(['run', '--set', 'train.lr=0.5']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(stagesWith(r, 'ran'), ['evaluate', 'train']);
  const plan = r.events.find((e) => e.type === 'plan') as { experiment: string };
  assert.match(plan.experiment, /^exp-[0-9a-f]{7}$/);
  assert.ok(fx.exists(`lockfiles/exp/${plan.experiment}.lock.yaml`));
});

test('exp show lists the experiments beside the baseline; params and metrics diff compare locks', () => {
  const shown = JSON.parse(fx.cli(['exp', 'show', '--json']).stdout) as Array<{ name: string; params: Record<string, unknown>; metrics: Record<string, number> }>;
  assert.equal(shown.map((e) => e.name).slice(0, 2), ['base (baseline)', shown[1]!.name]);
  const k3 = shown.find((e) => e.name === 'k3')!;
  assert.equal(k3.params, { 'eval.k': 3, 'train.lr': 0.1 });
  assert.is(k3.metrics['evaluate.score'], 18);
  assert.is(shown[0]!.metrics['evaluate.score'], 6);
  const table = fx.cli(['exp', 'show']).stdout;
  assert.match(table, /experiment\s+eval\.k\s+train\.lr\s+evaluate\.score\s+train\.loss_final/);
  assert.match(table, /\nk3\s+3\s+0\.1\s+18 /);

  assert.equal(JSON.parse(fx.cli(['params', 'diff', 'base', 'k3', '--json']).stdout), { 'eval.k': { a: 1, b: 3 } });
  assert.equal(JSON.parse(fx.cli(['metrics', 'diff', 'base', 'exp/k3', '--json']).stdout), { 'evaluate.score': { a: 6, b: 18 } });
  assert.match(fx.cli(['metrics', 'diff', 'base', 'lockfiles/exp/k3.lock.yaml']).stdout, /evaluate\.score\s+6\s+18\s+\+12 \(\+200\.0%\)/);
  const bad = fx.cli(['params', 'diff', 'base', 'nothing']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /nothing is not a lock file, a profile or experiment with a lock \(base, exp\/.*k3\), nor a git revision/);
});

test('params diff reads a lock at a git revision', () => {
  const git = (...args: string[]) => {
    const r = spawnSync('git', args, { cwd: fx.root, encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
  };
  git('init', '-q');
  git('add', 'lockfiles');
  git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'locks');
  fx.edit('params.yaml', (t) => t.replace('eval: {k: 1}', 'eval: {k: 2}'));
  assert.is(fx.cli(['run']).code, 0);
  assert.equal(JSON.parse(fx.cli(['params', 'diff', 'HEAD', '--json']).stdout), { 'eval.k': { a: 1, b: 2 } });
  assert.equal(JSON.parse(fx.cli(['params', 'diff', 'HEAD:exp/k3', 'k3', '--json']).stdout), {});
});

test('plots overlays the curve outputs of the baseline and its experiments as PNG, HTML and vega-lite', () => {
  const out = mkdtempSync(join(tmpdir(), 'vt-plots-'));
  const r = fx.cli(['plots', '--out', out]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /train\.curve\.png .*\(3 run\(s\)\)/);
  const png = readFileSync(join(out, 'train.curve.png'));
  assert.equal([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
  assert.ok(existsSync(join(out, 'train.curve.html')));
  const spec = JSON.parse(readFileSync(join(out, 'train.curve.vl.json'), 'utf8')) as { data: { values: Array<{ run: string; metric: string }> } };
  assert.equal([...new Set(spec.data.values.map((v) => v.metric))], ['loss']);
  assert.is(new Set(spec.data.values.map((v) => v.run)).size, 3);
  assert.match(fx.cli(['plots', '--stage', 'evaluate', '--out', out]).stderr, /stage evaluate has no curve output/);
  rmSync(out, { recursive: true, force: true });
});

test.after(() => fx.remove());
test.run();
