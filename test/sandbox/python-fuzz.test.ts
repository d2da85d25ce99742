// A seeded fuzz run of the Python sandbox: random programs stitched from harmless, broken and hostile fragments.
// Whatever they do, runPython resolves (never rejects) within its wall-time limit plus start-up, every failure is a
// "Sandbox for" message, and nothing appears outside the sandbox's temp dir.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PYTHON, runPython } from '../../vthinker/sandbox/python.ts';
import { blankRaster, encodePng } from '../../vthinker/scene/raster.ts';
import { rng } from '../../vthinker/util/random.ts';

const outside = mkdtempSync(join(tmpdir(), 'vt-fuzz-outside-'));
const FRAGMENTS = [
  'x = 1', 'print(x)', "print('hello')", 'import numpy as np', 'a = np.zeros((8, 8))', 'from PIL import Image',
  "im = Image.open(image_path)", "im.save('out.png')", "print('out.png')", 'y = 1 / 0', 'def f(:', 'import os',
  `open(${JSON.stringify(join(outside, 'w.txt'))}, 'w').write('x')`, "os.remove(image_path)", "os.system('true')",
  'import socket', 'while True: pass', "print('z' * 100000)", 'raise SystemExit(3)', 'import sys; sys.exit(0)',
  "open('local.txt', 'w').write('ok')", 'for i in range(10 ** 5): pass', '[0] * (10 ** 10)', 'del im', '\x00', 'lambda: (',
  "exec('import subprocess')", "__import__('ctypes')", "eval('1+1')", "open('/etc/shadow').read()",
];

test('random programs: resolve, bounded time, prefixed messages, nothing written outside', async () => {
  if (!existsSync(PYTHON)) return;
  const r = rng('python-fuzz');
  const image = encodePng(blankRaster(16, 16));
  const limits = { timeLimitMs: 3000, cpuSeconds: 3 };
  let ok = 0;
  for (let i = 0; i < 30; i++) {
    const code = Array.from({ length: r.int(1, 6) }, () => r.pick(FRAGMENTS)).join('\n');
    const result = await runPython({ id: `fuzz-${i}`, code, image, limits });
    assert.ok(result.ms < limits.timeLimitMs + 4000, `${i}: ${result.ms} ms for ${JSON.stringify(code)}`);
    if (result.ok) ok++;
    else assert.ok(result.message.startsWith(`Sandbox for fuzz-${i}: `), result.message);
  }
  assert.ok(ok > 0 && ok < 30, `${ok} of 30 ran: the fragments mix programs that work and programs that fail`);
  assert.equal(readdirSync(outside), []);
  rmSync(outside, { recursive: true, force: true });
});

test.run();
