// The smoke profile's perception stage end to end on WebGPU (software driver, VTHINKER_BACKEND=webgpu), in a clean
// copy of the sources with its own store: through the local executor, and through the queue executor with a
// `vthinker worker --queues gpu` (the run offers a GPU, VTHINKER_GPUS=1, so training stages need one and go to the
// gpu queue). Each time the stage trains on the GPU backend, and the lock records the webgpu compute id in its key
// and its metrics (so do the training stages before it: pretrain); the data stages before it keep the committed
// lock's keys.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { requireRedis, startRedis } from '../../packages/engine/test/queue/redis.ts';
import { requireWebgpu } from './lavapipe.ts';
import { cleanCopy, REPO } from '../pipeline/clean-copy.ts';


interface LockEntry {
  key: string;
  outputs: Record<string, { digest: string }>;
  metrics?: Record<string, string | number>;
  preimage: { runtime: Record<string, string> };
}

function webgpuEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, VTHINKER_BACKEND: 'webgpu', ...extra };
  delete env.VTHINKER_WEBGPU_ADAPTER;
  return env;
}

const runArgs = (root: string, extra: string[] = []) => [join(root, 'bin/vthinker.js'), 'run', '--profile', 'smoke', '--until', 'perception', '--json', ...extra];

function checkLock(root: string): LockEntry {
  const lock = parse(readFileSync(join(root, 'lockfiles/smoke.lock.yaml'), 'utf8')) as { stages: Record<string, LockEntry> };
  const perception = lock.stages.perception!;
  assert.match(perception.preimage.runtime.compute!, /^webgpu:[a-z0-9._-]+\/[a-z0-9._-]+$/);
  assert.ok(perception.preimage.runtime.host, 'the key also names the host stack (evaluation runs there)');
  assert.is(perception.metrics?.compute, perception.preimage.runtime.compute, 'the stage trained on the compute its key names');
  assert.ok(Number(perception.metrics?.loss_final) < Number(perception.metrics?.loss_first), `the loss falls: ${perception.metrics?.loss_first} -> ${perception.metrics?.loss_final}`);
  const committed = parse(readFileSync(join(REPO, 'lockfiles/smoke.lock.yaml'), 'utf8')) as { stages: Record<string, LockEntry> };
  // Upstream training stages (pretrain) train on the GPU too and name it; the data stages keep the committed keys.
  for (const [name, entry] of Object.entries(lock.stages)) {
    if (name === 'perception') continue;
    if (entry.preimage.runtime.compute) assert.is(entry.metrics?.compute, perception.preimage.runtime.compute, `${name}: trained on webgpu too`);
    else assert.is(entry.key, committed.stages[name]?.key, `${name}: the same key as the committed lock`);
  }
  return perception;
}

if (requireWebgpu()) {
  test('local executor: smoke perception trains on webgpu, the lock records its compute id', () => {
    const root = cleanCopy('vt-webgpu-');
    try {
      const r = spawnSync(process.execPath, runArgs(root), { cwd: root, encoding: 'utf8', env: webgpuEnv(), timeout: 900_000 });
      assert.is(r.status, 0, r.stdout.slice(-3000) + r.stderr.slice(-3000));
      checkLock(root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  if (requireRedis()) {
    test('queue executor: the perception stage goes to the gpu queue and trains on webgpu in a gpu worker', async () => {
      const root = cleanCopy('vt-webgpu-');
      const redis = await startRedis();
      const env = webgpuEnv({ VTHINKER_GPUS: '1', VTHINKER_REDIS_URL: redis.url, VTHINKER_QUEUE_PREFIX: `webgpu${process.pid}` });
      const workers = ['cpu', 'gpu'].map((queues) => {
        const child = spawn(process.execPath, [join(root, 'bin/vthinker.js'), 'worker', '--queues', queues], { cwd: root, env });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (out += c.toString()));
        return { child, output: () => out };
      });
      try {
        const r = await new Promise<{ status: number | null; out: string }>((res) => {
          const c = spawn(process.execPath, runArgs(root, ['--executor', 'queue']), { cwd: root, env });
          let out = '';
          c.stdout.on('data', (d: Buffer) => (out += d.toString()));
          c.stderr.on('data', (d: Buffer) => (out += d.toString()));
          c.on('exit', (status) => res({ status, out }));
        });
        assert.is(r.status, 0, r.out.slice(-3000) + workers.map((w) => w.output()).join('\n'));
        checkLock(root);
        assert.match(workers[1]!.output(), /running perception/, 'the gpu worker ran perception');
        assert.not.match(workers[0]!.output(), /running perception/, 'the cpu worker did not');
      } finally {
        for (const w of workers) w.child.kill('SIGTERM');
        await Promise.all(workers.map((w) => new Promise((res) => (w.child.exitCode !== null ? res(null) : w.child.once('exit', res)))));
        await redis.stop();
        rmSync(root, { recursive: true, force: true });
      }
    });
  }
}

test.run();
