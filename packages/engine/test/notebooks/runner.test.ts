// Freshness of `vthinker notebooks`: a notebook runs when its cells or the digests of what it loads change, and
// only then. A fake executor (copying the notebook) keeps this fast; execute.test.ts drives the real kernel.
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { digest } from '../../src/notebook.ts';
import { runNotebooks, type Execute } from '../../src/notebooks/runner.ts';
import { fixture } from './fixture.ts';

test('a second run executes nothing; a changed artifact or cell re-executes exactly that notebook', async () => {
  const f = fixture();
  try {
    f.output('a', 'x', { v: 1 });
    f.output('b', 'y', { v: 1 });
    f.notebook('one', ["import { load } from '@vthinker/engine/notebook';", "load('a', 'x')"]);
    f.notebook('two', ["import { load } from '@vthinker/engine/notebook';", "load<unknown>('b', 'y', {})"]);
    const ran: string[] = [];
    const execute: Execute = async (nb, out) => (ran.push(nb.replace(/.*\//, '')), copyFileSync(nb, out), { ok: true, log: '' });
    const lines: string[] = [];
    const run = () => {
      ran.length = 0;
      lines.length = 0;
      return runNotebooks({ root: f.root, profile: 'p', store: f.store, statCache: f.statCache, execute, kernels: { deno: 'deno test' }, typecheck: false, log: (l) => lines.push(l) });
    };

    let r = await run();
    assert.equal(ran.sort(), ['one.ipynb', 'two.ipynb']);
    assert.ok(r.ok);
    assert.ok(existsSync(join(f.root, 'artifacts', 'p', 'notebooks', 'one.ipynb')), 'executed copy shown under artifacts/<profile>/notebooks');

    r = await run();
    assert.equal(ran, []);
    assert.equal(r.fresh.length, 2);
    assert.match(lines.at(-1)!, /nothing executed.*every notebook is fresh/);

    f.output('a', 'x', { v: 2 });
    r = await run();
    assert.equal(ran, ['one.ipynb']);
    assert.ok(lines.some((l) => /execute\s+notebooks\/one\.ipynb \(artifact a\.x changed\)/.test(l)), lines.join('\n'));

    f.notebook('two', ["import { load } from '@vthinker/engine/notebook';", "load<unknown>('b', 'y', {}) // looked at again", 'const z = 1;']);
    r = await run();
    assert.equal(ran, ['two.ipynb']);
    assert.ok(lines.some((l) => /two\.ipynb \(cells changed\)/.test(l)));

    // Outputs and trailing whitespace are not part of a notebook's key.
    f.notebook('two', ["import { load } from '@vthinker/engine/notebook';   ", "load<unknown>('b', 'y', {}) // looked at again", 'const z = 1;']);
    await run();
    assert.equal(ran, []);
  } finally {
    f.cleanup();
  }
});

test('a notebook reading an output the profile has not produced fails with what to run', async () => {
  const f = fixture();
  try {
    f.output('a', 'x', 1);
    f.notebook('one', ["load('nope', 'x')"]);
    const run = runNotebooks({ root: f.root, profile: 'p', store: f.store, statCache: f.statCache, kernels: { deno: 'deno test' }, log: () => {} });
    await run.then(() => assert.unreachable('should fail'), (e: Error) => assert.match(e.message, /notebooks\/one\.ipynb reads nope\.x.*npx vthinker run --profile p/));
  } finally {
    f.cleanup();
  }
});

test('artifacts the lock records but the store lacks (a fresh clone) are listed, with what makes them, before any kernel', async () => {
  const f = fixture();
  try {
    f.output('a', 'x', 1);
    f.output('b', 'y', 2);
    rmSync(f.store.blobPath(digest('b', 'y', { root: f.root, profile: 'p' })));
    f.notebook('one', ["import { load } from '@vthinker/engine/notebook';", "load('a', 'x')"]);
    f.notebook('two', ["import { load } from '@vthinker/engine/notebook';", "load('b', 'y')", "load('c', 'z')"]);
    let executed = 0;
    const execute: Execute = async (nb, out) => (executed++, copyFileSync(nb, out), { ok: true, log: '' });
    const run = () => runNotebooks({ root: f.root, profile: 'p', store: f.store, statCache: f.statCache, execute, kernels: { deno: 'deno test' }, typecheck: false, log: () => {} });
    await run().then(() => assert.unreachable('should fail'), (e: Error) => {
      assert.is(e.message, 'notebooks/two.ipynb reads c.z, which profile p has not produced: make it with `npx vthinker run --profile p --until c`\n(no notebook was executed)');
    });
    f.output('c', 'z', 3);
    await run().then(() => assert.unreachable('should fail'), (e: Error) => {
      assert.match(e.message, /^notebooks\/two\.ipynb reads b\.y, which profile p has in its lock but not in this store: make it with `npx vthinker run --profile p --until b`\n/);
    });
    assert.is(executed, 0, 'no kernel was started');
  } finally {
    f.cleanup();
  }
});

test('an executor that fails before any cell runs is tried once more, then the notebook fails with its log', async () => {
  const f = fixture();
  try {
    f.output('a', 'x', 1);
    f.notebook('one', ["import { load } from '@vthinker/engine/notebook';", "load('a', 'x')"]);
    const lines: string[] = [];
    const run = (execute: Execute) => {
      lines.length = 0;
      return runNotebooks({ root: f.root, profile: 'p', store: f.store, statCache: f.statCache, execute, kernels: { deno: 'deno test' }, typecheck: false, force: true, log: (l) => lines.push(l) });
    };
    let calls = 0;
    const flaky: Execute = async (nb, out) => (++calls === 1 ? { ok: false, log: 'AssertionError: assert self.km is not None' } : (copyFileSync(nb, out), { ok: true, log: '' }));
    let r = await run(flaky);
    assert.is(calls, 2);
    assert.ok(r.ok, lines.join('\n'));
    assert.equal(r.executed, ['notebooks/one.ipynb']);
    assert.ok(lines.some((l) => /^retry\s+notebooks\/one\.ipynb: could not execute\n.*self\.km/.test(l)), lines.join('\n'));

    calls = 0;
    const broken: Execute = async () => (++calls, { ok: false, log: 'kernel died' });
    r = await run(broken);
    assert.is(calls, 2);
    assert.not.ok(r.ok);
    assert.equal(r.failed, [{ notebook: 'notebooks/one.ipynb', cell: 0, message: 'could not execute: kernel died' }]);
  } finally {
    f.cleanup();
  }
});

test.run();
