// The queue executor against a real redis-server on loopback, with real `vthinker worker` processes: a run through
// the queue ends with the same lock file as a local run; a worker killed mid-stage loses nothing and the stage
// moves to the other worker; a coordinator killed mid-run adopts the job that finished meanwhile; a gpu stage waits
// for a gpu worker; an unreachable Redis is a clear, fast error.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { ABCD, Fixture, stagesWith } from '../fixture.ts';
import { freePort, requireRedis, startRedis, type RedisServer } from './redis.ts';

const BIN = join(resolve(import.meta.dirname, '../..'), 'bin', 'vthinker.js');
const enabled = requireRedis();
let redis: RedisServer | undefined;
let prefixes = 0;

const SLOW: Record<string, string> = {
  'params.yaml': 'params:\n  slow: {ms: 2500}\n',
  'stages/a.ts': `import { stage, file } from '@vthinker/engine';
import { writeFileSync, appendFileSync, mkdirSync } from 'node:fs';
export default stage({ name: 'a', module: import.meta.url, outputs: { x: file('x.txt') }, run(ctx) {
  mkdirSync(ctx.root + '/runs', { recursive: true });
  appendFileSync(ctx.root + '/runs/a', process.pid + '\\n');
  writeFileSync(ctx.output('x'), 'x');
} });
`,
  'stages/slow.ts': `import { stage, file, from } from '@vthinker/engine';
import { openSync, writeSync, closeSync, writeFileSync, appendFileSync, mkdirSync, existsSync } from 'node:fs';
export default stage({
  name: 'slow', module: import.meta.url, params: ['slow.ms'], inputs: { x: from('a', 'x') }, outputs: { big: file('big.txt') },
  async run(ctx) {
    mkdirSync(ctx.root + '/runs', { recursive: true });
    writeFileSync(ctx.root + '/runs/slow.pid', String(process.pid));
    appendFileSync(ctx.root + '/runs/slow.starts', process.pid + '\\n');
    const fd = openSync(ctx.output('big'), 'w');
    writeSync(fd, 'first half;');
    ctx.progress(1, 2);
    // Sleeps slow.ms, or less when a test releases it (runs/release): timing-sensitive tests set a long slow.ms and
    // release the stage themselves, so a loaded machine cannot finish it before the moment they test.
    const until = Date.now() + ctx.param('slow.ms');
    while (Date.now() < until && !existsSync(ctx.root + '/runs/release')) await new Promise((r) => setTimeout(r, 20));
    writeSync(fd, 'second half');
    closeSync(fd);
    writeFileSync(ctx.root + '/runs/slow.done', String(process.pid));
  },
});
`,
  'stages/g.ts': `import { stage, file, from } from '@vthinker/engine';
import { readFileSync, writeFileSync } from 'node:fs';
export default stage({
  name: 'g', module: import.meta.url, inputs: { x: from('a', 'x') }, outputs: { y: file('y.txt') }, resources: { gpu: 1 },
  run(ctx) { writeFileSync(ctx.output('y'), 'gpu saw ' + readFileSync(ctx.input('x'), 'utf8')); },
});
`,
  'pipeline.ts': `import { pipeline } from '@vthinker/engine';
import a from './stages/a.ts';
import slow from './stages/slow.ts';
import g from './stages/g.ts';
export default pipeline({ name: 'slow', stages: [a, slow, g] });
`,
};

interface WorkerProc {
  child: ChildProcess;
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
}

/** A fresh key prefix per test: leftovers of one test never reach another's workers. */
const env = (extra: Record<string, string> = {}) => ({ VTHINKER_REDIS_URL: redis!.url, VTHINKER_QUEUE_PREFIX: `t${process.pid}x${prefixes}`, VTHINKER_WORKER_LOCK_MS: '2000', ...extra });

async function startWorker(fx: Fixture, queues: string, extra: Record<string, string> = {}): Promise<WorkerProc> {
  const child = spawn(process.execPath, [BIN, 'worker', '--queues', queues], { cwd: fx.root, env: { ...process.env, ...env(extra) } });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  await until(() => /serving/.test(out) || child.exitCode !== null, 15_000, () => out);
  if (child.exitCode !== null) throw new Error(`worker exited: ${out}`);
  return {
    child,
    pid: child.pid!,
    output: () => out,
    stop: () =>
      new Promise<void>((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res();
        child.once('exit', () => res());
        child.kill('SIGTERM');
      }),
  };
}

async function until(pred: () => boolean, ms: number, what: () => string = () => ''): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out; ${what()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const normalisedLock = (fx: Fixture, profile: string) => fx.read(`lockfiles/${profile}.lock.yaml`).replace(/duration_s: [\d.]+/g, 'duration_s: <s>');
const blobs = (fx: Fixture) => {
  const dir = join(fx.root, 'artifacts/store/blobs');
  return existsSync(dir) ? readdirSync(dir).flatMap((d) => readdirSync(join(dir, d))).length : 0;
};
const workerOf = (events: Array<{ type: string; message?: string }>, stage: string): number[] =>
  events.flatMap((e) => (e.type === 'notice' && e.message?.startsWith(`${stage} runs on worker `) ? [Number(e.message.split(':').pop())] : []));

test.before(async () => {
  if (enabled) redis = await startRedis();
});
test.after(async () => {
  await redis?.stop();
});
test.before.each(() => {
  prefixes++;
});

const qtest = (name: string, fn: () => Promise<void>) => test(name, async () => (enabled ? fn() : undefined));

qtest('a run through the queue (two workers) gives the same lock file and digests as a local run', async () => {
  const local = new Fixture(ABCD);
  const queued = new Fixture(ABCD);
  const workers = await Promise.all([startWorker(queued, 'cpu'), startWorker(queued, 'cpu')]);
  try {
    const l = local.cli(['run', '--profile', 'smoke']);
    assert.is(l.code, 0, l.stderr);
    const q = queued.cli(['run', '--profile', 'smoke', '--executor', 'queue'], env());
    assert.is(q.code, 0, q.stdout + q.stderr);
    assert.equal(stagesWith(q, 'ran'), ['a', 'b', 'c', 'd']);
    assert.is(normalisedLock(queued, 'smoke'), normalisedLock(local, 'smoke'));
    for (const f of ['a/data.txt', 'a/parts/4.txt', 'b/out.json', 'd/d.txt']) assert.is(queued.read(`artifacts/smoke/${f}`), local.read(`artifacts/smoke/${f}`));
    assert.is(blobs(queued), blobs(local), 'the store holds the same blobs');
    const pids = new Set(['a', 'b', 'c', 'd'].flatMap((s) => workerOf(q.events, s)));
    assert.ok([...pids].every((p) => workers.some((w) => w.pid === p)), 'every stage ran on a worker');
    const again = queued.cli(['run', '--profile', 'smoke', '--executor', 'queue'], env());
    assert.equal(stagesWith(again, 'fresh'), ['a', 'b', 'c', 'd'], 'a second run is a no-op');
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    local.remove();
    queued.remove();
  }
});

qtest('a worker killed mid-stage: the stage is retried on the other worker, nothing partial is published', async () => {
  const fx = new Fixture(SLOW);
  const workers = await Promise.all([startWorker(fx, 'cpu'), startWorker(fx, 'cpu')]);
  try {
    const run = fx.start(['--executor', 'queue', '--until', 'slow'], env());
    await run.waitFor((e) => e.type === 'progress' && e.stage === 'slow');
    const stagePid = Number(fx.read('runs/slow.pid'));
    const first = workers.find((w) => w.output().includes('running slow'))!;
    const other = workers.find((w) => w !== first)!;
    first.child.kill('SIGKILL');
    const r = await run.exited;
    assert.is(r.code, 0, r.stdout);
    assert.equal(stagesWith(r, 'ran'), ['a', 'slow']);
    assert.equal(workerOf(r.events, 'slow'), [first.pid, other.pid], 'started on the killed worker, finished on the other');
    assert.is(fx.read('runs/slow.starts').trim().split('\n').length, 2);
    assert.throws(() => process.kill(stagePid, 0), 'the killed worker\'s stage process is gone');
    assert.is(fx.read('artifacts/default/slow/big.txt'), 'first half;second half');
    assert.is(blobs(fx), 2, 'only whole outputs reached the store');
    const lock = parse(fx.read('lockfiles/default.lock.yaml')) as { stages: Record<string, unknown> };
    assert.ok(lock.stages.slow);
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    fx.remove();
  }
});

qtest('the coordinator killed mid-run and restarted adopts the job that finished meanwhile', async () => {
  const fx = new Fixture(SLOW);
  const workers = await Promise.all([startWorker(fx, 'cpu'), startWorker(fx, 'cpu')]);
  try {
    const run = fx.start(['--executor', 'queue', '--until', 'slow'], env());
    await run.waitFor((e) => e.type === 'progress' && e.stage === 'slow');
    const journal = readdirSync(join(fx.root, 'artifacts/store/jobs'));
    assert.is(journal.length, 1, 'the submitted job is journaled under its key');
    run.child.kill('SIGKILL');
    await run.exited;
    await until(() => workers.some((w) => w.output().includes('finished slow')), 15_000);
    const again = fx.cli(['run', '--executor', 'queue', '--until', 'slow'], env());
    assert.is(again.code, 0, again.stdout + again.stderr);
    assert.ok(again.events.some((e) => e.type === 'notice' && /adopted job \S+ for slow \(completed\)/.test(e.message)), again.stdout);
    assert.equal(stagesWith(again, 'fresh'), ['a']);
    assert.equal(stagesWith(again, 'ran'), ['slow']);
    assert.is(fx.read('runs/slow.starts').trim().split('\n').length, 1, 'slow ran once');
    assert.is(workers.map((w) => (w.output().match(/running slow/g) ?? []).length).reduce((a, b) => a + b), 1);
    assert.is(fx.read('artifacts/default/slow/big.txt'), 'first half;second half');
    assert.equal(readdirSync(join(fx.root, 'artifacts/store/jobs')), [], 'the journal entry is settled');
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    fx.remove();
  }
});

qtest('a coordinator restarted while its job still runs follows that job instead of submitting another', async () => {
  // The stage runs until released (up to 2 min), so it is still active whatever the machine's load.
  const fx = new Fixture({ ...SLOW, 'params.yaml': 'params:\n  slow: {ms: 120000}\n' });
  const worker = await startWorker(fx, 'cpu');
  try {
    const run = fx.start(['--executor', 'queue', '--until', 'slow'], env());
    await run.waitFor((e) => e.type === 'progress' && e.stage === 'slow');
    run.child.kill('SIGKILL');
    await run.exited;
    const restarted = fx.start(['--executor', 'queue', '--until', 'slow'], env());
    await restarted.waitFor((e) => e.type === 'notice' && /adopted job/.test(e.message));
    fx.write('runs/release', '');
    const again = await restarted.exited;
    assert.is(again.code, 0, again.stdout + again.stderr);
    assert.ok(again.events.some((e) => e.type === 'notice' && /adopted job \S+ for slow \(active\)/.test(e.message)), again.stdout);
    assert.is(fx.read('runs/slow.starts').trim().split('\n').length, 1, 'slow ran once');
    assert.is(fx.read('artifacts/default/slow/big.txt'), 'first half;second half');
  } finally {
    await worker.stop();
    fx.remove();
  }
});

qtest('a worker whose code or runtime gives another key refuses the job and says why', async () => {
  const files = { ...ABCD };
  files['stages/c.ts'] = files['stages/c.ts']!.replace("name: 'c',", "name: 'c', env: ['FLAVOUR'],");
  const fx = new Fixture(files);
  const worker = await startWorker(fx, 'cpu', { FLAVOUR: 'worker' });
  try {
    const r = fx.cli(['run', '--executor', 'queue', '--keep-going'], env({ FLAVOUR: 'coordinator' }));
    assert.is(r.code, 1);
    const failed = r.events.find((e) => e.type === 'failed' && e.stage === 'c') as { error: string } | undefined;
    assert.ok(failed, r.stdout);
    assert.match(failed!.error, /refused stage c: .*different key for c.*environment FLAVOUR changed/);
    assert.equal(stagesWith(r, 'ran'), ['a', 'b'], 'the other stages ran on the worker');
  } finally {
    await worker.stop();
    fx.remove();
  }
});

qtest('a gpu stage waits for a worker that offers a GPU, then runs there', async () => {
  const fx = new Fixture({ ...SLOW, 'params.yaml': 'params:\n  slow: {ms: 1}\n' });
  const cpu = await startWorker(fx, 'cpu');
  let gpu: WorkerProc | undefined;
  try {
    const refused = fx.cli(['worker', '--queues', 'cpu,gpu'], env({ VTHINKER_GPUS: '0' }));
    assert.is(refused.code, 2);
    assert.match(refused.stderr, /offers no GPU/);
    const run = fx.start(['--executor', 'queue', '--until', 'g'], env());
    await run.waitFor((e) => e.type === 'notice' && /g is queued on gpu: waiting for a worker/.test(e.message));
    gpu = await startWorker(fx, 'gpu', { VTHINKER_GPUS: '1' });
    const r = await run.exited;
    assert.is(r.code, 0, r.stdout);
    assert.equal(workerOf(r.events, 'g'), [gpu.pid]);
    assert.equal(workerOf(r.events, 'a'), [cpu.pid]);
    assert.is(fx.read('artifacts/default/g/y.txt'), 'gpu saw x');
  } finally {
    await Promise.all([cpu.stop(), gpu?.stop()]);
    fx.remove();
  }
});

qtest('Redis unreachable: a clear error that says how to start it, without hanging', async () => {
  const fx = new Fixture(ABCD);
  try {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const t0 = Date.now();
    const r = fx.cli(['run', '--executor', 'queue', '--redis', url]);
    assert.ok(Date.now() - t0 < 8000, 'fails fast');
    assert.is(r.code, 2);
    assert.match(r.stderr, `cannot reach Redis at ${url}`);
    assert.match(r.stderr, 'redis-server --port 6379 --daemonize yes');
    const w = fx.cli(['worker', '--queues', 'cpu'], { VTHINKER_REDIS_URL: url });
    assert.is(w.code, 2);
    assert.match(w.stderr, 'cannot reach Redis');
    assert.not.ok(fx.exists('lockfiles/default.lock.yaml'), 'nothing was run');
  } finally {
    fx.remove();
  }
});

test.run();
