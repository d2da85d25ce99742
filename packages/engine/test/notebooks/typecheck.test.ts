// Cells are type-checked with the project's tsconfig before they run: a planted type error names its notebook,
// cell and line, and the notebook is not executed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runNotebooks, type Execute } from '../../src/notebooks/runner.ts';
import { fixture } from './fixture.ts';

test('a planted type error fails the run, naming the notebook and cell', async () => {
  const f = fixture();
  try {
    f.notebook('good', ['const n: number = 1;', 'const m = n + 1;\nm']);
    f.notebook('bad', ['const a = 1;', "const b: number = 'text';\nb"]);
    const ran: string[] = [];
    const execute: Execute = async (nb) => (ran.push(nb), { ok: false, log: 'not executed in this test' });
    const lines: string[] = [];
    const r = await runNotebooks({ root: f.root, profile: 'p', store: f.store, statCache: f.statCache, execute, kernels: { deno: 'deno test' }, log: (l) => lines.push(l) });
    assert.not.ok(r.ok);
    const typeError = r.failed.find((x) => x.notebook === 'notebooks/bad.ipynb');
    assert.ok(typeError, JSON.stringify(r.failed));
    assert.is(typeError!.cell, 2);
    assert.match(typeError!.message, /TS2322/);
    assert.ok(lines.some((l) => l.startsWith('type error notebooks/bad.ipynb cell 2 line 1: error TS2322')), lines.join('\n'));
    assert.not.ok(ran.some((p) => p.endsWith('bad.ipynb')), 'a notebook that does not type-check is not executed');
    assert.ok(ran.some((p) => p.endsWith('good.ipynb')));
  } finally {
    f.cleanup();
  }
});

test.run();
