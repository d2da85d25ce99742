// Crash safety and concurrency: SIGKILL at awkward moments leaves the store and lock file valid and the next run
// resumes; two runs at once never compute the same stage twice; abandoned locks are recovered.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, writeFileSync, mkdirSync, utimesSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Fixture, stagesWith } from './fixture.ts';

const SLOW: Record<string, string> = {
  'params.yaml': 'params:\n  slow: {ms: 1500}\n',
  'stages/a.ts': `import { stage, file } from '@vthinker/engine';
import { writeFileSync } from 'node:fs';
export default stage({ name: 'a', module: import.meta.url, outputs: { x: file('x.txt') }, run(ctx) { writeFileSync(ctx.output('x'), 'x'); } });
`,
  'stages/slow.ts': `import { stage, file, from } from '@vthinker/engine';
import { openSync, writeSync, closeSync, writeFileSync, mkdirSync } from 'node:fs';
export default stage({
  name: 'slow', module: import.meta.url, params: ['slow.ms'], inputs: { x: from('a', 'x') }, outputs: { big: file('big.txt') },
  async run(ctx) {
    mkdirSync(ctx.root + '/pids', { recursive: true });
    writeFileSync(ctx.root + '/pids/slow', String(process.pid));
    const fd = openSync(ctx.output('big'), 'w');
    writeSync(fd, 'first half;');
    ctx.progress(1, 2);
    await new Promise((r) => setTimeout(r, ctx.param('slow.ms')));
    writeSync(fd, 'second half');
    closeSync(fd);
  },
});
`,
  'pipeline.ts': `import { pipeline } from '@vthinker/engine';
import a from './stages/a.ts';
import slow from './stages/slow.ts';
export default pipeline({ name: 'slow', stages: [a, slow] });
`,
};

const lockOf = (fx: Fixture) => parse(fx.read('lockfiles/default.lock.yaml')) as { stages: Record<string, { key: string }> };
const blobCount = (fx: Fixture) => {
  try {
    return readdirSync(join(fx.root, 'artifacts/store/blobs')).flatMap((d) => readdirSync(join(fx.root, 'artifacts/store/blobs', d))).length;
  } catch {
    return 0;
  }
};

test('SIGKILL of the coordinator mid-write: nothing partial is visible and the next run resumes', async () => {
  const fx = new Fixture(SLOW);
  const run = fx.start();
  await run.waitFor((e) => e.type === 'progress' && e.stage === 'slow');
  run.child.kill('SIGKILL');
  await run.exited;
  assert.not.ok(fx.exists('artifacts/default/slow/big.txt'), 'no partial output in the workspace');
  const lock = lockOf(fx);
  assert.ok(lock.stages.a, 'finished stage a is recorded');
  assert.not.ok(lock.stages.slow, 'the killed stage is not');
  const blobs = blobCount(fx);
  const again = fx.cli(['run']);
  assert.is(again.code, 0, again.stdout + again.stderr);
  assert.equal(stagesWith(again, 'fresh'), ['a']);
  assert.equal(stagesWith(again, 'ran'), ['slow']);
  assert.is(fx.read('artifacts/default/slow/big.txt'), 'first half;second half');
  assert.is(blobCount(fx), blobs + 1, 'only the finished output was added to the store');
  assert.equal(readdirSync(join(fx.root, 'artifacts/store/tmp')), [], 'the dead run\'s temporary folder was cleaned');
  fx.remove();
});

test('SIGKILL of the stage process: the stage fails, nothing is published, the run resumes', async () => {
  const fx = new Fixture(SLOW);
  const run = fx.start();
  await run.waitFor((e) => e.type === 'progress' && e.stage === 'slow');
  process.kill(Number(fx.read('pids/slow')), 'SIGKILL');
  const result = await run.exited;
  assert.is(result.code, 1);
  assert.ok(result.events.some((e) => e.type === 'failed' && e.stage === 'slow' && /killed by SIGKILL/.test(e.error)));
  assert.not.ok(fx.exists('artifacts/default/slow/big.txt'));
  assert.not.ok(lockOf(fx).stages.slow);
  const again = fx.cli(['run']);
  assert.equal(stagesWith(again, 'ran'), ['slow']);
  fx.remove();
});

test('two concurrent runs: one computes, the other waits (saying who holds the lock) and reuses it', async () => {
  const fx = new Fixture(SLOW);
  const first = fx.start();
  await first.waitFor((e) => e.type === 'started' && e.stage === 'slow');
  const second = fx.start();
  const [r1, r2] = await Promise.all([first.exited, second.exited]);
  assert.is(r1.code, 0);
  assert.is(r2.code, 0);
  const ran = [...stagesWith(r1, 'ran'), ...stagesWith(r2, 'ran')].filter((s) => s === 'slow');
  assert.equal(ran, ['slow'], 'slow computed exactly once');
  const waited = r2.events.find((e) => e.type === 'waiting') as { holder: string } | undefined;
  assert.ok(waited, 'the second run said it was waiting');
  assert.match(waited!.holder, new RegExp(`pid \\d+ on ${hostname()}`));
  assert.ok(stagesWith(r2, 'cached').includes('slow'));
  fx.remove();
});

test('a lock left by a dead process, or with a stopped heartbeat, is recovered', () => {
  const fx = new Fixture({ ...SLOW, 'params.yaml': 'params:\n  slow: {ms: 1}\n' });
  fx.cli(['run', '--until', 'a']);
  const lockDir = join(fx.root, 'artifacts/store/locks');
  const plant = (holder: object, ageS: number) => {
    const path = join(lockDir, `${keyOf(fx, 'slow')}.lock`);
    mkdirSync(lockDir, { recursive: true });
    writeFileSync(path, JSON.stringify(holder));
    const t = new Date(Date.now() - ageS * 1000);
    utimesSync(path, t, t);
  };
  plant({ pid: 999999, host: hostname(), what: 'running slow', startedAt: 'earlier' }, 0);
  let r = fx.cli(['run']);
  assert.is(r.code, 0);
  assert.ok(r.events.some((e) => e.type === 'notice' && /recovered a stale lock on slow left by pid 999999/.test(e.message)));
  assert.equal(stagesWith(r, 'ran'), ['slow']);
  fx.edit('params.yaml', () => 'params:\n  slow: {ms: 2}\n');
  plant({ pid: 1, host: 'another-host', what: 'running slow', startedAt: 'earlier' }, 3600);
  r = fx.cli(['run']);
  assert.ok(r.events.some((e) => e.type === 'notice' && /another-host/.test(e.message)));
  assert.equal(stagesWith(r, 'ran'), ['slow']);
  fx.remove();
});

/** The key a stage would get now (`status --json` reports it once every upstream is fresh). */
function keyOf(fx: Fixture, stage: string): string {
  const all = JSON.parse(fx.cli(['status', '--json']).stdout) as Array<{ stage: string; key?: string }>;
  return all.find((s) => s.stage === stage)!.key!;
}

test.run();
