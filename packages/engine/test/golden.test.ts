// Golden-directory tests: each folder under fixtures/golden is a pipeline with a list of steps; the decisions of
// every step and the final lock files must match expected/ (keys and durations normalised, output digests kept:
// they are a pure function of the fixture). Set UPDATE_GOLDEN=1 to rewrite expected/ after an intended change.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Fixture } from './fixture.ts';

const GOLDEN = join(import.meta.dirname, 'fixtures', 'golden');
interface Step {
  args: string[];
  edit?: { file: string; from: string; to: string };
}

const normalise = (text: string) =>
  text.replace(/\b[0-9a-f]{64}\b/g, (hex, offset: number, all: string) => (all.slice(Math.max(0, offset - 7), offset) === 'sha256:' ? hex : '<key>'))
    .replace(/duration_s: [\d.]+/g, 'duration_s: <s>')
    .replace(/(node|platform): .+/g, '$1: <runtime>');

for (const name of readdirSync(GOLDEN)) {
  test(`golden pipeline ${name}`, () => {
    const src = join(GOLDEN, name);
    const fx = new Fixture({});
    for (const entry of readdirSync(src)) if (entry !== 'expected') cpSync(join(src, entry), join(fx.root, entry), { recursive: true });
    const steps = parse(readFileSync(join(src, 'steps.yaml'), 'utf8')) as Step[];
    const journal: string[] = [];
    steps.forEach((step, i) => {
      if (step.edit) fx.edit(step.edit.file, (t) => t.replace(step.edit!.from, step.edit!.to));
      const r = fx.cli(['run', '--jobs', '1', ...step.args]);
      journal.push(`# step ${i + 1}: run ${step.args.join(' ')}${step.edit ? ` after editing ${step.edit.file}` : ''} -> exit ${r.code}`);
      for (const e of r.events) {
        if (e.type === 'plan' || e.type === 'done' || e.type === 'progress' || e.type === 'metric' || e.type === 'log') continue;
        const reasons = 'reasons' in e && e.reasons.length ? `: ${e.reasons.join('; ')}` : '';
        journal.push(`${e.type} ${'stage' in e ? e.stage : ''}${reasons}${e.type === 'ran' && e.cutOff ? ' (cut-off)' : ''}`);
      }
    });
    const actual: Record<string, string> = { 'journal.txt': `${journal.join('\n')}\n` };
    for (const lock of readdirSync(join(fx.root, 'lockfiles')).sort()) actual[lock] = normalise(fx.read(join('lockfiles', lock)));
    const expectedDir = join(src, 'expected');
    if (process.env.UPDATE_GOLDEN) for (const [file, text] of Object.entries(actual)) writeFileSync(join(expectedDir, file), text);
    for (const [file, text] of Object.entries(actual)) {
      assert.ok(existsSync(join(expectedDir, file)), `expected/${file} is missing: run with UPDATE_GOLDEN=1 and review it`);
      assert.fixture(text, readFileSync(join(expectedDir, file), 'utf8'), `${name}/expected/${file}`);
    }
    fx.remove();
  });
}

test.run();
