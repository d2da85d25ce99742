// The project's own pipeline on the smoke profile, from a clean copy of the sources (what CI and a fresh clone
// see): it completes, a second run finds everything fresh, and the keys and output digests equal the committed
// lockfiles/smoke.lock.yaml (so the lock file is current and keys do not depend on the folder or the machine).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cleanCopy, REPO } from './clean-copy.ts';


interface Lock {
  stages: Record<string, { key: string; outputs: Record<string, { digest: string }>; preimage: { runtime: Record<string, string>; inputs?: Record<string, string> } }>;
}

/**
 * Keys and output digests of the stages whose results are exact. Float training results may differ in the last bits
 * between CPUs (OpenBLAS picks kernels by instruction set) while the compute id stays, so a stage that declares the
 * compute stack is compared by its key and output names, and a stage that reads (transitively) what such a stage
 * wrote by its output names only (its key holds those digests).
 */
const summary = (lock: Lock) => {
  // floatOut: outputs may differ in the last bits; floatIn: the key itself reads such outputs.
  const floatOut = new Set(Object.keys(lock.stages).filter((s) => lock.stages[s]!.preimage.runtime.compute));
  const floatIn = new Set<string>();
  for (let grew = true; grew;) {
    grew = false;
    const floatDigests = new Set([...floatOut].flatMap((s) => Object.values(lock.stages[s]!.outputs).map((o) => o.digest)));
    for (const [s, e] of Object.entries(lock.stages)) {
      if (!floatIn.has(s) && Object.values(e.preimage.inputs ?? {}).some((d) => floatDigests.has(d))) {
        floatIn.add(s);
        floatOut.add(s);
        grew = true;
      }
    }
  }
  return Object.fromEntries(
    Object.entries(lock.stages).map(([s, e]) => [
      s,
      {
        ...(floatIn.has(s) ? {} : { key: e.key }),
        outputs: floatOut.has(s) ? Object.keys(e.outputs).sort() : Object.fromEntries(Object.entries(e.outputs).map(([k, o]) => [k, o.digest])),
      },
    ]),
  );
};

test('smoke profile from a clean copy: runs, re-runs as fresh, matches the committed lock', () => {
  const root = cleanCopy('vt-smoke-');
  const run = () => spawnSync(process.execPath, [join(root, 'bin/vthinker.js'), 'run', '--profile', 'smoke', '--json'], { cwd: root, encoding: 'utf8' });
  const first = run();
  assert.is(first.status, 0, first.stdout.slice(-3000) + first.stderr);
  const types = (out: string) => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { type: string; stage?: string });
  const ran = types(first.stdout).filter((e) => e.type === 'ran').length;
  const stages = Object.keys((parse(readFileSync(join(REPO, 'lockfiles/smoke.lock.yaml'), 'utf8')) as Lock).stages).length;
  assert.is(ran, stages, 'every stage ran in the clean copy');
  const second = run();
  assert.is(types(second.stdout).filter((e) => e.type === 'fresh').length, stages, 'second run: every stage fresh');
  const produced = parse(readFileSync(join(root, 'lockfiles/smoke.lock.yaml'), 'utf8')) as Lock;
  const committed = parse(readFileSync(join(REPO, 'lockfiles/smoke.lock.yaml'), 'utf8')) as Lock;
  assert.equal(summary(produced), summary(committed), 'keys and digests equal the committed lock (re-run the smoke profile and commit it after a change)');
  rmSync(root, { recursive: true, force: true });
});

test.run();
