// docs/guide.md is a working project: every code block whose fence names a file (```ts file=PATH) is written into a
// throwaway project, which then runs through what the guide says happens (re-runs, profiles, experiments, diffs).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Fixture, stagesWith } from '../../packages/engine/test/fixture.ts';

const GUIDE = readFileSync(join(import.meta.dirname, '../../docs/guide.md'), 'utf8');
const files = Object.fromEntries([...GUIDE.matchAll(/^```\w+ file=(\S+)\n([\s\S]*?)^```$/gm)].map((m) => [m[1]!, m[2]!]));
const fx = new Fixture(files);
const model = (profile: string) => JSON.parse(fx.read(`artifacts/${profile}/train/model.json`)) as { w: number };

test('the guide names the project files it walks through', () => {
  assert.equal(Object.keys(files).sort(), ['data/data.csv', 'params.yaml', 'pipeline.ts', 'stages/prepare.ts', 'stages/train.ts']);
});

test('run, then run again: everything ran, then everything is fresh', () => {
  const first = fx.cli(['run']);
  assert.is(first.code, 0, first.stderr);
  assert.equal(stagesWith(first, 'ran'), ['prepare', 'report', 'train']);
  assert.ok(Math.abs(model('small').w - 2.2) < 0.3, `w fitted near the data's slope: ${model('small').w}`);
  assert.is(fx.read('artifacts/small/report/report.txt'), fx.read('artifacts/small/train/model.json'));
  assert.ok(fx.exists('lockfiles/small.lock.yaml'));
  assert.equal(stagesWith(fx.cli(['run']), 'fresh'), ['prepare', 'report', 'train']);
});

test('a comment changes nothing; the data file re-runs its dependants', () => {
  fx.edit('stages/train.ts', (t) => `// a comment the key ignores\n${t}`);
  assert.equal(stagesWith(fx.cli(['run']), 'fresh'), ['prepare', 'report', 'train']);
  fx.edit('data/data.csv', (t) => `${t}4,8\n`);
  const status = JSON.parse(fx.cli(['status', '--json']).stdout) as Array<{ stage: string; reasons: string[] }>;
  assert.equal(status.find((s) => s.stage === 'prepare')!.reasons, ['data data/data.csv changed']);
  assert.equal(stagesWith(fx.cli(['run']), 'ran'), ['prepare', 'report', 'train']);
});

test('another profile shares the stages its params do not reach', () => {
  const r = fx.cli(['run', '--profile', 'long']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(stagesWith(r, 'ran'), ['report', 'train']);
  assert.equal(stagesWith(r, 'cached'), ['prepare']);
  assert.match(fx.cli(['params', 'diff', 'small', 'long']).stdout, 'train.steps');
});

test('an experiment, exp show and metrics diff', () => {
  const r = fx.cli(['run', '--set', 'train.lr=0.05', '--name', 'slow']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(stagesWith(r, 'ran'), ['report', 'train']);
  assert.ok(fx.exists('lockfiles/exp/slow.lock.yaml'));
  const shown = fx.cli(['exp', 'show']);
  assert.is(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, 'slow');
  assert.match(shown.stdout, 'train.lr');
  const diff = fx.cli(['metrics', 'diff', 'small', 'slow']);
  assert.is(diff.code, 0, diff.stderr);
  assert.match(diff.stdout, 'loss');
});

test.after(() => fx.remove());
test.run();
