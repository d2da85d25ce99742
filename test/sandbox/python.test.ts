// The Python sandbox (sandbox/python.ts) against what a model's code can do at its worst: each attack ends in a
// "Sandbox for" message within its limit and writes nothing outside the sandbox's temp dir; a normal program gets
// its image back. Run in every isolation mode this machine has (the namespace one is skipped where unshare is
// refused), since the audit hook alone is the fallback elsewhere.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { availableIsolation, PYTHON, runPython, type Isolation } from '../../vthinker/sandbox/python.ts';
import { blankRaster, decodePng, encodePng } from '../../vthinker/scene/raster.ts';

const image = encodePng(blankRaster(64, 48));
const hasPython = existsSync(PYTHON);
const modes: Isolation[] = hasPython ? (availableIsolation() === 'namespace' ? ['namespace', 'audit-hook'] : ['audit-hook']) : [];
const outside = mkdtempSync(join(tmpdir(), 'vt-outside-'));
const secret = join(homedir(), `.vt-sandbox-secret-${process.pid}`);
const tempsBefore = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('vt-python-')));

test.before(() => writeFileSync(secret, 'not for the model'));
test.after(() => {
  rmSync(outside, { recursive: true, force: true });
  rmSync(secret, { force: true });
});

/** Fast limits for the attacks that run into the clock. */
const quick = { timeLimitMs: 3000, cpuSeconds: 3 };
/** Room for heavy imports on a loaded test machine (a program that should work must not fail on the clock). */
const roomy = { timeLimitMs: 60_000, cpuSeconds: 60 };

const attacks: { name: string; code: string; message: RegExp; withinMs: number; limits?: object }[] = [
  { name: 'reading /etc/passwd', code: "print(open('/etc/passwd').read())", message: /PermissionError|FileNotFoundError/, withinMs: 5000 },
  { name: 'reading a file in the home folder', code: `print(open(${JSON.stringify(secret)}).read())`, message: /PermissionError|FileNotFoundError/, withinMs: 5000 },
  { name: 'writing outside', code: `open(${JSON.stringify(join(outside, 'escaped.txt'))}, 'w').write('x')\nprint('done')`, message: /PermissionError|FileNotFoundError|Read-only/, withinMs: 5000 },
  { name: 'a socket to 127.0.0.1', code: "import socket\ns = socket.socket()\ns.connect(('127.0.0.1', PORT))\nprint('connected')", message: /does not allow importing socket/, withinMs: 5000 },
  { name: 'a socket opened by a library the import guard lets through', code: "import xmlrpc.client\nprint(xmlrpc.client.ServerProxy('http://127.0.0.1:PORT').hello())", message: /does not allow socket/, withinMs: 5000 },
  { name: 'importlib, around the import guard', code: "import importlib\nimportlib.import_module('socket')", message: /does not allow importing importlib/, withinMs: 5000 },
  { name: 'a fork bomb', code: 'import os\nwhile True:\n    os.fork()', message: /does not allow os\.fork/, withinMs: 5000 },
  { name: 'a memory bomb', code: 'x = bytearray(8 * 1024 ** 3)\nprint(len(x))', message: /MemoryError/, withinMs: 5000 },
  { name: 'an infinite loop', code: 'while True:\n    pass', message: /time limit of 3 s exceeded|CPU time limit/, withinMs: 4500, limits: quick },
  // The CPU limit below the wall one: the kernel's SIGXCPU, named as such (not as a memory kill).
  { name: 'a busy loop past its CPU seconds', code: 'while True:\n    pass', message: /CPU time limit of 2 s exceeded/, withinMs: 6000, limits: { timeLimitMs: 8000, cpuSeconds: 2 } },
  { name: 'a 20,000 x 20,000 image', code: "from PIL import Image\nImage.new('RGB', (20000, 20000)).save('big.png')", message: /MemoryError/, withinMs: 65_000, limits: roomy },
  { name: 'a 20,000 x 20,000 image that fits in memory', code: "from PIL import Image\nImage.new('1', (20000, 20000)).save('big.png')\nprint('big.png')", message: /more than 16777216 pixels/, withinMs: 65_000, limits: roomy },
  { name: 'a stdout flood', code: "while True:\n    print('x' * 1000)", message: /printed more than 64 KB/, withinMs: 5000 },
  { name: 'a denied import', code: 'import subprocess\nsubprocess.run(["ls"])', message: /does not allow importing subprocess/, withinMs: 5000 },
  { name: 'os.system', code: "import os\nos.system('touch /tmp/vt-system-ran')", message: /does not allow os\.system/, withinMs: 5000 },
  { name: 'a syntax error', code: 'def f(:\n  pass', message: /SyntaxError: .* \(line 1\)/, withinMs: 5000 },
];

for (const isolation of modes) {
  for (const a of attacks) {
    test(`${isolation}: ${a.name} ends in a Sandbox for message within its limit`, async () => {
      const listener = createServer((s) => s.end('hello')).listen(0, '127.0.0.1');
      await new Promise((r) => listener.once('listening', r));
      const port = (listener.address() as { port: number }).port;
      try {
        const r = await runPython({ id: 'attack', code: a.code.replace('PORT', String(port)), image, isolation, limits: a.limits });
        assert.not.ok(r.ok, `${a.name} ran: ${JSON.stringify(r.ok && r.stdout.slice(0, 100))}`);
        if (!r.ok) {
          assert.ok(r.message.startsWith('Sandbox for attack: '), r.message);
          assert.match(r.message, a.message, r.message);
        }
        assert.ok(r.ms < a.withinMs, `${r.ms} ms`);
      } finally {
        listener.close();
      }
    });
  }

  test(`${isolation}: a drawing program gets its image back (image_path rewritten from the prompt's path)`, async () => {
    const code = [
      "image_path = '/mnt/data/some/where/input.png'",
      'from PIL import Image, ImageDraw',
      'im = Image.open(image_path).convert("RGB")',
      'ImageDraw.Draw(im).line((0, 0, 63, 47), fill=(255, 0, 0), width=3)',
      "im.save('processed.png')",
      "print('processed.png')",
    ].join('\n');
    const r = await runPython({ id: 'ok', code, image, isolation, limits: roomy });
    assert.ok(r.ok, r.ok ? '' : r.message);
    if (r.ok) {
      assert.is(r.images.length, 1);
      const out = decodePng(r.images[0]!);
      assert.equal([out.width, out.height], [64, 48]);
      assert.equal([...out.data.subarray(0, 3)], [255, 0, 0]);
      assert.is(r.stdout, 'processed.png');
      assert.is(r.isolation, isolation);
    }
  });

  test(`${isolation}: matplotlib and OpenCV import under the limits; a figure left open comes back`, async () => {
    const r = await runPython({ id: 'plot', code: 'import cv2, numpy as np\nimport matplotlib.pyplot as plt\nplt.plot(np.arange(3))\nplt.show()', image, isolation, limits: roomy });
    assert.ok(r.ok, r.ok ? '' : r.message);
    if (r.ok) assert.is(r.images.length, 1);
  });
}

if (modes.includes('namespace')) {
  test('namespace: what the audit hook cannot see (stat, C libraries) still finds no host files and no host folder', async () => {
    const target = join(outside, 'from-cv2.png');
    const code = [
      'import os, cv2, numpy as np',
      `print(os.path.exists('/etc/passwd'), os.path.exists(${JSON.stringify(secret)}), os.path.isdir(${JSON.stringify(outside)}))`,
      `print(cv2.imwrite(${JSON.stringify(target)}, np.zeros((4, 4, 3), np.uint8)))`,
    ].join('\n');
    const r = await runPython({ id: 'c', code, image, isolation: 'namespace', limits: roomy });
    assert.ok(r.ok, r.ok ? '' : r.message);
    if (r.ok) assert.is(r.stdout, 'False False False\nFalse');
    assert.not.ok(existsSync(target), 'OpenCV wrote outside the sandbox');
  });
}

test('nothing was written outside the sandbox, and every temp dir was removed', () => {
  assert.equal(readdirSync(outside), []);
  assert.not.ok(existsSync('/tmp/vt-system-ran'));
  const left = readdirSync(tmpdir()).filter((n) => n.startsWith('vt-python-') && !tempsBefore.has(n));
  assert.equal(left, []);
});

test('bad input: empty code and a missing interpreter are messages, not exceptions', async () => {
  const empty = await runPython({ id: 'e', code: '   ', image });
  assert.equal([empty.ok, !empty.ok && empty.message], [false, 'Sandbox for e: no code to run']);
});

test.run();
