// A key pins code, params, packages and inputs, not the CPU's floating point: a training stage re-run on another
// machine can make other bytes under the same key. The engine must say so, and the lock must keep recording what the
// workspace (and downstream) actually uses. Here "the machine" is an environment variable the key does not see.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import type { EngineEvent } from '../src/events.ts';
import { terminalReporter } from '../src/reporters/terminal.ts';
import { Fixture, stagesWith, type CliResult } from './fixture.ts';

const MACHINE_DEPENDENT: Record<string, string> = {
  'params.yaml': 'default_profile: tiny\nparams: {seed: 1}\nprofiles: {tiny: {}}\n',
  'stages/train.ts': `import { stage, file } from '@vthinker/engine';
import { writeFileSync } from 'node:fs';
export default stage({
  name: 'train', module: import.meta.url, params: ['seed'], outputs: { model: file('model.txt'), log: file('log.txt') },
  run(ctx) {
    writeFileSync(ctx.output('model'), 'weights rounded on ' + (process.env.FIXTURE_MACHINE ?? 'a'));
    writeFileSync(ctx.output('log'), 'seed ' + ctx.param('seed'));
  },
});
`,
  'stages/score.ts': `import { stage, file, from } from '@vthinker/engine';
import { readFileSync, writeFileSync } from 'node:fs';
export default stage({
  name: 'score', module: import.meta.url, inputs: { model: from('train', 'model') }, outputs: { out: file('score.txt') },
  run(ctx) { writeFileSync(ctx.output('out'), 'scored ' + readFileSync(ctx.input('model'), 'utf8')); },
});
`,
  'pipeline.ts': `import { pipeline } from '@vthinker/engine';
import train from './stages/train.ts';
import score from './stages/score.ts';
export default pipeline({ name: 'machines', stages: [train, score] });
`,
};

const fx = new Fixture(MACHINE_DEPENDENT);
const LOCK = 'lockfiles/tiny.lock.yaml';
/** An output's digest in a lock file's text (by default the fixture's current lock). */
const lockDigest = (stage: string, output: string, lockText = fx.read(LOCK)) =>
  (parse(lockText) as { stages: Record<string, { outputs: Record<string, { digest: string }> }> }).stages[stage]!.outputs[output]!.digest;
const ranEvent = (r: CliResult, stage: string) => r.events.find((e) => e.type === 'ran' && e.stage === stage) as Extract<EngineEvent, { type: 'ran' }>;
/** A fresh clone on another machine: the committed lock, no store, no workspace. */
const freshClone = () => rmSync(join(fx.root, 'artifacts'), { recursive: true, force: true });

let lockFromA = '';

test('a first run records no reproduction check: the lock had nothing to compare with', () => {
  const r = fx.cli(['run'], { FIXTURE_MACHINE: 'a' });
  assert.is(r.code, 0, r.stderr);
  assert.is(ranEvent(r, 'train').reproduced, undefined);
  lockFromA = fx.read(LOCK);
});

test('re-running the lock on the same machine reproduces it bit for bit', () => {
  freshClone();
  const r = fx.cli(['run'], { FIXTURE_MACHINE: 'a' });
  assert.equal(ranEvent(r, 'train').reproduced, []);
  assert.equal(ranEvent(r, 'score').reproduced, []);
  const a = parse(lockFromA) as { stages: Record<string, { outputs: unknown }> };
  const now = parse(fx.read(LOCK)) as typeof a;
  for (const stage of ['train', 'score']) assert.equal(now.stages[stage]!.outputs, a.stages[stage]!.outputs);
});

test('re-running it on another machine names the outputs whose bytes differ and records the new ones', () => {
  freshClone();
  fx.write(LOCK, lockFromA);
  const r = fx.cli(['run'], { FIXTURE_MACHINE: 'b' });
  assert.is(r.code, 0, r.stderr);
  assert.equal(ranEvent(r, 'train').reproduced, ['model'], 'the log does not depend on the machine: only the model differs');
  assert.is.not(lockDigest('train', 'model'), lockDigest('train', 'model', lockFromA));
  // score's input changed, so its key did too: an ordinary re-run, not a reproduction check.
  assert.is(ranEvent(r, 'score').reproduced, undefined);
  assert.is(fx.read('artifacts/tiny/score/score.txt'), 'scored weights rounded on b');
});

test("a lock from machine a over a store filled on machine b: status calls it stale, run restores the store's and records it", () => {
  fx.write(LOCK, lockFromA);
  const status = JSON.parse(fx.cli(['status', '--json']).stdout) as Array<{ stage: string; state: string; reasons: string[] }>;
  const train = status.find((s) => s.stage === 'train')!;
  assert.is(train.state, 'stale');
  assert.match(train.reasons[0]!, /the store holds other bytes for this key than the lock records \(model;/);
  const score = status.find((s) => s.stage === 'score')!;
  assert.is.not(score.state, 'fresh');
  assert.ok(score.reasons.includes('upstream train will run first (may cut off if its outputs come out the same)'), 'downstream waits on train');
  const r = fx.cli(['run'], { FIXTURE_MACHINE: 'a' });
  assert.equal(stagesWith(r, 'ran'), [], 'nothing computes: both keys are in the store');
  assert.equal(stagesWith(r, 'cached'), ['score', 'train']);
  assert.is(fx.read('artifacts/tiny/train/model.txt'), 'weights rounded on b');
  assert.is.not(lockDigest('train', 'model'), lockDigest('train', 'model', lockFromA));
  const again = fx.cli(['run']);
  assert.equal(stagesWith(again, 'fresh'), ['score', 'train'], 'the lock now agrees with the store');
});

test('the terminal reporter prints the check: silent without one, a line when reproduced, the outputs when not', () => {
  const lines = (reproduced?: string[]) => {
    let text = '';
    const say = terminalReporter({ write: (t) => (text += t), tty: false });
    say({ type: 'ran', stage: 'train', key: 'k'.repeat(64), durationS: 1, metrics: {}, cutOff: false, ...(reproduced ? { reproduced } : {}) });
    return text;
  };
  assert.not.match(lines(), /reproduc/);
  assert.match(lines([]), /reproduced the lock's outputs bit for bit/);
  assert.match(lines(['model', 'curve']), /same key, other bytes than the lock records \(model, curve\): not bit-reproducible on this machine/);
});

test.after(() => fx.remove());
test.run();
