// Fuzzing the sandbox with what a policy can write at its worst: it must never throw, never hang and never grow
// memory without bound. Every failure must carry the "Sandbox for" prefix the tool reward keys off.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderScene } from '../../vthinker/scene/render.ts';
import { createSandbox, extractCode } from '../../vthinker/sandbox/index.ts';
import { rng, type Rng } from '../../vthinker/util/random.ts';
import { TRIANGLE } from '../scene/fixtures/scenes.ts';

const sceneSize = { width: 128, height: 128 };
const image = renderScene(TRIANGLE);
const TOKENS = ['line', 'ray', 'point', 'circle', 'polygon', 'crop', 'LINE', 'import', 'os', '(', ')', ',', ';', '\n', '```', '#', '-', '+',
  '0', '1', '64', '127', '128', '129', '-1', '1e9', '1.5', 'NaN', 'Infinity', '0x10', '99999999999999999999999', '\u0000', '\ud800', 'é', '<code>', '</code>'];

function randomProgram(r: Rng): string {
  switch (r.int(0, 6)) {
    case 0: // random bytes as a string
      return Buffer.from(Array.from({ length: r.int(0, 300) }, () => r.int(0, 255))).toString('latin1');
    case 1: // random tokens
      return Array.from({ length: r.int(0, 80) }, () => r.pick(TOKENS)).join(r.pick([' ', '', '\n']));
    case 2: // plausible lines with random numbers, some out of range
      return Array.from({ length: r.int(1, 20) }, () => `${r.pick(['line', 'ray', 'point', 'circle', 'polygon', 'crop'])} ${Array.from({ length: r.int(0, 9) }, () => r.int(-200, 400)).join(' ')}`).join('\n');
    case 3: // huge numbers
      return `line ${'9'.repeat(r.int(1, 400))} 1 2 3\ncircle 64 64 ${'1'.repeat(r.int(1, 50))}`;
    case 4: // deep nesting
      return `${'('.repeat(r.int(1, 3000))}line 1 2 3 4${')'.repeat(r.int(1, 3000))}`;
    case 5: // very long inputs
      return r.pick(['point 1 1\n', 'x', ';', ' ', '(']).repeat(r.int(1000, 100_000));
    default: // long single statements
      return `polygon ${Array.from({ length: r.int(3, 2000) }, () => r.int(0, 128)).join(' ')}`;
  }
}

test('random and malformed programs: no throw, bounded time, prefixed messages', () => {
  const r = rng('sandbox-fuzz');
  let worst = 0, ok = 0;
  for (let i = 0; i < 600; i++) {
    const box = createSandbox({ id: `fuzz-${i}`, image, sceneSize });
    for (let call = 0; call < 3; call++) {
      const code = randomProgram(r);
      const started = performance.now();
      const result = box.execute(code);
      worst = Math.max(worst, performance.now() - started);
      if (result.ok) ok++;
      else assert.ok(result.message.startsWith(`Sandbox for fuzz-${i}: `), result.message);
      // extractCode must be just as robust on the same garbage.
      extractCode(`<code>${code}</code>`);
      extractCode(code);
    }
  }
  assert.ok(worst < 250, `slowest call ${worst.toFixed(1)} ms`);
  assert.ok(ok > 0, 'some random programs are valid and run');
});

test('the same 100k-character input also fails fast with a raised length limit', () => {
  const box = createSandbox({ id: 'long', image, sceneSize, limits: { maxCodeLength: 200_000, maxCalls: 100 } });
  for (const code of ['('.repeat(100_000), 'point 1 1\n'.repeat(10_000), `polygon ${'1 '.repeat(50_000)}`, '9'.repeat(100_000)]) {
    const started = performance.now();
    const result = box.execute(code);
    assert.not.ok(result.ok);
    assert.ok(performance.now() - started < 250, `${code.slice(0, 10)}: ${performance.now() - started} ms`);
  }
});

test('memory stays bounded over many sandboxes and calls', async () => {
  const r = rng('memory');
  global.gc?.();
  const before = process.memoryUsage().rss;
  for (let i = 0; i < 2000; i++) {
    const box = createSandbox({ id: `m${i}`, image, sceneSize });
    for (let c = 0; c < 4; c++) box.execute(`line ${r.int(0, 128)} ${r.int(0, 128)} ${r.int(0, 128)} ${r.int(0, 128)}\ncircle 64 64 ${r.int(1, 60)}`);
    // Rollouts yield to the event loop between model steps; canvas memory is released only then (see raster.ts).
    if (i % 100 === 99) await new Promise(setImmediate);
  }
  global.gc?.();
  const grown = (process.memoryUsage().rss - before) / 2 ** 20;
  assert.ok(grown < 250, `rss grew ${grown.toFixed(0)} MiB`);
});

test.run();
