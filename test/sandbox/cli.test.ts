// `vthinker sandbox` (sandbox/cli.ts): one program on an image, Python or the drawing language, images into --out;
// a failing program prints its "Sandbox for" message (status 1); bad arguments are one line and status 2.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PYTHON } from '../../vthinker/sandbox/python.ts';
import { SANDBOX_USAGE, sandboxCommand } from '../../vthinker/sandbox/cli.ts';
import { blankRaster, decodePng, encodePng } from '../../vthinker/scene/raster.ts';
import { capture } from '../cli/capture.ts';

const root = mkdtempSync(join(tmpdir(), 'sandbox-cli-'));
const image = join(root, 'in.png');
const file = (name: string, text: string) => (writeFileSync(join(root, name), text), join(root, name));
test.before(() => writeFileSync(image, encodePng(blankRaster(40, 30))));
test.after(() => rmSync(root, { recursive: true, force: true }));

test('drawing language: the view comes back as output-0.png', async () => {
  const out = join(root, 'draw-out');
  const r = await capture(() => sandboxCommand(['--image', image, '--code', file('d.txt', 'line 0 0 39 29'), '--out', out]));
  assert.is(r.code, 0, r.out + r.err);
  assert.match(r.out, /1 image\(s\): .*output-0\.png \(drawing language\)/);
  const drawn = decodePng(readFileSync(join(out, 'output-0.png')));
  assert.equal([drawn.width, drawn.height], [40, 30]);
});

test('python from a whole response (its ```python block), and the failure message of a broken one', async () => {
  if (!existsSync(PYTHON)) return;
  const out = join(root, 'py-out');
  const response = "<think> mark it <code>\n```python\nfrom PIL import Image\nImage.open(image_path).save('p.png')\nprint('p.png')\n```\n</code>";
  const r = await capture(() => sandboxCommand(['--image', image, '--code', file('r.txt', response), '--out', out]));
  assert.is(r.code, 0, r.out + r.err);
  assert.match(r.out, /^p\.png\n1 image\(s\): .*output-0\.png \(python, (namespace|audit-hook)\)$/);
  const bad = await capture(() => sandboxCommand(['--image', image, '--code', file('b.py', 'print(1/0)'), '--lang', 'python']));
  assert.is(bad.code, 1);
  assert.match(bad.out, /^Sandbox for cli: ZeroDivisionError: division by zero \(line 1\)/);
});

test('usage errors: one line, status 2; --help prints the usage', async () => {
  for (const [args, message] of [
    [[], `usage: ${SANDBOX_USAGE}`],
    [['--image', image], `usage: ${SANDBOX_USAGE}`],
    [['--image', join(root, 'none.png'), '--code', image], '--image'],
    [['--image', image, '--code', image, '--lang', 'ruby'], '--lang must be python or draw'],
    [['--image', image, '--code', image, '--bogus'], "Unknown option '--bogus'"],
  ] as const) {
    const r = await capture(() => sandboxCommand([...args]));
    assert.is(r.code, 2, args.join(' '));
    assert.ok(r.err.includes(message), r.err);
    assert.not.match(r.err, /\n\s+at /, 'no stack trace');
  }
  const help = await capture(() => sandboxCommand(['--help']));
  assert.is(help.code, 0);
  assert.ok(help.out.startsWith(`usage: ${SANDBOX_USAGE}`));
});

test.run();
