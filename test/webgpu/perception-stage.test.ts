// The smoke profile's perception stage end to end on WebGPU (software driver, VTHINKER_BACKEND=webgpu) in a clean
// copy of the sources with its own store: it runs through the local executor, trains on the GPU backend, and the
// lock records the webgpu compute id in its key and its metrics; the stages before it are those of the committed lock.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { requireWebgpu } from './lavapipe.ts';

const REPO = resolve(import.meta.dirname, '../..');
const SOURCES = ['package.json', 'package-lock.json', 'pipeline.ts', 'params.yaml', 'tsconfig.json', 'engine', 'stages', 'vthinker', 'bin', 'native'];

interface LockEntry {
  key: string;
  outputs: Record<string, { digest: string }>;
  metrics?: Record<string, string | number>;
  preimage: { runtime: Record<string, string> };
}

if (requireWebgpu()) {
  test('smoke perception on webgpu: the lock records the webgpu compute id, upstream stages are unchanged', () => {
    const root = mkdtempSync(join(tmpdir(), 'vt-webgpu-'));
    try {
      for (const s of SOURCES) cpSync(join(REPO, s), join(root, s), { recursive: true, filter: (p) => !p.includes('native/build') });
      symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
      if (existsSync(join(REPO, 'native/build'))) symlinkSync(join(REPO, 'native/build'), join(root, 'native/build'));
      const env = { ...process.env, VTHINKER_BACKEND: 'webgpu' };
      delete env.VTHINKER_WEBGPU_ADAPTER;
      const r = spawnSync(process.execPath, [join(root, 'bin/vthinker.js'), 'run', '--profile', 'smoke', '--until', 'perception', '--json'], { cwd: root, encoding: 'utf8', env, timeout: 900_000 });
      assert.is(r.status, 0, r.stdout.slice(-3000) + r.stderr.slice(-3000));
      const lock = parse(readFileSync(join(root, 'lockfiles/smoke.lock.yaml'), 'utf8')) as { stages: Record<string, LockEntry> };
      const perception = lock.stages.perception!;
      assert.match(perception.preimage.runtime.compute!, /^webgpu:[a-z0-9._-]+\/[a-z0-9._-]+$/);
      assert.ok(perception.preimage.runtime.host, 'the key also names the host stack (evaluation runs there)');
      assert.is(perception.metrics?.compute, perception.preimage.runtime.compute, 'the stage trained on the compute its key names');
      assert.ok(Number(perception.metrics?.loss_final) < Number(perception.metrics?.loss_first), `the loss falls: ${perception.metrics?.loss_first} -> ${perception.metrics?.loss_final}`);
      const committed = parse(readFileSync(join(REPO, 'lockfiles/smoke.lock.yaml'), 'utf8')) as { stages: Record<string, LockEntry> };
      for (const [name, entry] of Object.entries(lock.stages)) {
        if (name === 'perception') continue;
        assert.is(entry.key, committed.stages[name]?.key, `${name}: the same key as the committed lock`);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
}

test.run();
