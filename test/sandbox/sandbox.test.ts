import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyOps, renderScene, sameRaster, type RasterImage } from '../../vthinker/scene/render.ts';
import { createSandbox, DEFAULT_LIMITS, type SandboxResult } from '../../vthinker/sandbox/index.ts';
import { EMPTY, TRIANGLE } from '../scene/fixtures/scenes.ts';

const sceneSize = { width: 128, height: 128 };
const figure = () => renderScene(TRIANGLE);
const sha = (img: RasterImage) => createHash('sha256').update(img.data).digest('hex');
const okImage = (r: SandboxResult) => {
  if (!r.ok) assert.unreachable(r.message);
  return r.ok ? r.image : figure();
};
const message = (r: SandboxResult) => {
  assert.not.ok(r.ok, 'expected a failure');
  return r.ok ? '' : r.message;
};

test('a call draws its operations and returns them; the result equals applyOps', () => {
  const box = createSandbox({ id: 's1', image: figure(), sceneSize });
  const r = box.execute('line 60 25 60 105\npoint 60 105');
  assert.ok(r.ok);
  assert.equal(r.ok && r.ops, [{ op: 'line', from: [60, 25], to: [60, 105] }, { op: 'point', at: [60, 105] }]);
  assert.ok(sameRaster(okImage(r), applyOps(figure(), box.history, sceneSize)));
  assert.ok(sameRaster(box.image, okImage(r)));
});

test('every op kind runs', () => {
  for (const code of ['line 0 0 128 128', 'ray 10 10 20 30', 'point 64 64', 'circle 64 64 30', 'polygon 10 10 50 10 30 40', 'crop 0 0 64 64']) {
    const r = createSandbox({ id: 'k', image: figure(), sceneSize }).execute(code);
    assert.ok(r.ok, code);
    assert.not.ok(sameRaster(okImage(r), figure()), `${code} changes the view`);
  }
});

test('state persists: later calls draw on top; the input image is never changed', () => {
  const input = figure();
  const before = sha(input);
  const box = createSandbox({ id: 's2', image: input, sceneSize });
  const first = okImage(box.execute('line 0 64 128 64'));
  const second = okImage(box.execute('line 64 0 64 128'));
  assert.ok(sameRaster(second, applyOps(input, [
    { op: 'line', from: [0, 64], to: [128, 64] },
    { op: 'line', from: [64, 0], to: [64, 128] },
  ], sceneSize)));
  assert.not.ok(sameRaster(first, second));
  assert.is(box.history.length, 2);
  assert.is(box.calls, 2);
  assert.is(sha(input), before);
  // Mutating the caller's array afterwards does not reach the sandbox either.
  input.data.fill(0);
  assert.ok(sameRaster(okImage(box.execute('point 1 1')), applyOps(figure(), [...box.history], sceneSize)));
});

test('a failed call changes nothing (all or nothing) but counts as a call', () => {
  const box = createSandbox({ id: 's3', image: figure(), sceneSize });
  okImage(box.execute('point 5 5'));
  const view = box.image;
  const m = message(box.execute('point 6 6\npoint 999 6'));
  assert.is(m, 'Sandbox for s3: line 2: (999, 6) is outside the 128x128 canvas');
  assert.is(box.history.length, 1);
  assert.ok(sameRaster(box.image, view));
  assert.is(box.calls, 2);
});

test('crop sets the view; coordinates stay on the full canvas; crop of the full canvas undoes it', () => {
  const box = createSandbox({ id: 's4', image: renderScene(EMPTY), sceneSize });
  okImage(box.execute('crop 0 0 64 64'));
  const zoomed = okImage(box.execute('point 32 32'));
  const [r, g, b] = Array.from(zoomed.data.subarray((64 * 128 + 64) * 4, (64 * 128 + 64) * 4 + 3));
  assert.ok(r! > 200 && g! < 90 && b! > 200, 'the point shows at the centre of the zoomed view');
  const full = okImage(box.execute('crop 0 0 128 128'));
  assert.ok(sameRaster(full, applyOps(renderScene(EMPTY), [{ op: 'point', at: [32, 32] }], sceneSize)));
});

test('limits: ops per call, calls, code length, empty code, coordinates, crop size, margin', () => {
  const box = createSandbox({ id: 'lim', image: figure(), sceneSize, limits: { maxCalls: 3 } });
  assert.is(message(box.execute(Array(17).fill('point 1 1').join('\n'))), 'Sandbox for lim: line 17: too many operations (at most 16 per call)');
  assert.is(message(box.execute('   \n')), 'Sandbox for lim: the code has no drawing operations; write one per line, e.g. `line 10 20 60 80`');
  assert.ok(message(box.execute('x'.repeat(5000))).startsWith('Sandbox for lim: code is 5000 characters, more than the limit of 4000'));
  assert.is(message(box.execute('point 1 1')), 'Sandbox for lim: call limit reached (3 calls per rollout); answer without more code');
  const other = createSandbox({ id: 'c', image: figure(), sceneSize });
  assert.ok(message(other.execute('crop 0 0 4 4')).includes('at least 8x8'));
  assert.ok(message(other.execute('line -1 0 10 10')).includes('outside the 128x128 canvas'));
  assert.ok(other.execute('line 0 0 128 128').ok, 'canvas edges are inside');
  const lenient = createSandbox({ id: 'm', image: figure(), sceneSize, limits: { margin: 8 } });
  assert.ok(lenient.execute('line -5 0 10 10').ok);
  assert.equal(DEFAULT_LIMITS.maxOpsPerCall, 16);
});

test('time limit: an injected clock that jumps makes the call fail cleanly', () => {
  let now = 0;
  const box = createSandbox({ id: 't', image: figure(), sceneSize, clock: () => (now += 1500) });
  assert.is(message(box.execute('point 1 1\npoint 2 2')), 'Sandbox for t: time limit of 2000 ms exceeded');
  assert.is(box.history.length, 0);
});

test('sandboxes work on images of another pixel size than the scene', () => {
  const big = renderScene(TRIANGLE, [], { size: 256 });
  const box = createSandbox({ id: 'big', image: big, sceneSize });
  const img = okImage(box.execute('point 64 32'));
  assert.equal([img.width, img.height], [256, 256]);
  const [r, g] = Array.from(img.data.subarray((64 * 256 + 128) * 4, (64 * 256 + 128) * 4 + 2));
  assert.ok(r! > 200 && g! < 90);
});

test('non-string code and bad configuration', () => {
  const box = createSandbox({ id: 'n', image: figure(), sceneSize });
  assert.is(message(box.execute(undefined as unknown as string)), 'Sandbox for n: expected code as text, got undefined');
  assert.throws(() => createSandbox({ id: 'bad', image: { width: 2, height: 2, data: new Uint8ClampedArray(3) }, sceneSize }), /expected 2x2x4/);
});

test.run();
