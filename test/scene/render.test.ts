import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  applyOps,
  blankRaster,
  contactSheet,
  decodePng,
  encodePng,
  type RasterImage,
  renderScene,
  sameRaster,
  toModelInput,
} from '../../vthinker/scene/render.ts';
import type { DrawOp } from '../../vthinker/scene/types.ts';
import { EMPTY, TRIANGLE } from './fixtures/scenes.ts';

const pixel = (img: RasterImage, x: number, y: number) => Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4));
const isAux = (img: RasterImage, x: number, y: number) => {
  const [r, g, b] = pixel(img, x, y);
  return r! > 200 && g! < 90 && b! > 200;
};
const countAux = (img: RasterImage) => {
  let n = 0;
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) if (isAux(img, x, y)) n++;
  return n;
};
const sha = (img: RasterImage) => createHash('sha256').update(img.data).digest('hex');

test('output size follows opts.size and the scene aspect ratio; the background is white and opaque', () => {
  assert.equal([renderScene(TRIANGLE).width, renderScene(TRIANGLE).height], [128, 128]);
  for (const size of [64, 256]) {
    const img = renderScene(TRIANGLE, [], { size });
    assert.equal([img.width, img.height, img.data.length], [size, size, size * size * 4]);
  }
  const wide = renderScene({ width: 200, height: 100, elements: [] }, [], { size: 100 });
  assert.equal([wide.width, wide.height], [100, 50]);
  assert.equal(pixel(renderScene(EMPTY), 3, 3), [255, 255, 255, 255]);
  assert.throws(() => renderScene(TRIANGLE, [], { size: 0 }), /renderScene size/);
});

test('the same program gives byte-identical pixels, in this process and in another one', () => {
  const ops: DrawOp[] = [{ op: 'line', from: [60, 25], to: [60, 105] }];
  const a = renderScene(TRIANGLE, ops, { size: 128 });
  assert.ok(sameRaster(a, renderScene(TRIANGLE, ops, { size: 128 })));
  const script = `
    import { createHash } from 'node:crypto';
    import { renderScene } from './vthinker/scene/render.ts';
    import { TRIANGLE } from './test/scene/fixtures/scenes.ts';
    const img = renderScene(TRIANGLE, ${JSON.stringify(ops)}, { size: 128 });
    process.stdout.write(createHash('sha256').update(img.data).digest('hex'));`;
  const other = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: new URL('../..', import.meta.url).pathname }).toString();
  assert.is(other, sha(a));
});

test('figures never use the auxiliary colour; overlays always do', () => {
  assert.is(countAux(renderScene(TRIANGLE)), 0);
  const img = renderScene(TRIANGLE, [{ op: 'line', from: [10, 64], to: [118, 64] }]);
  assert.ok(isAux(img, 64, 64) || isAux(img, 64, 63));
  assert.ok(countAux(img) >= 100);
});

test('each operation draws where it should', () => {
  const at = (ops: DrawOp[], x: number, y: number) => isAux(renderScene(EMPTY, ops), x, y);
  assert.ok(at([{ op: 'point', at: [40, 50] }], 40, 50));
  assert.ok(at([{ op: 'circle', center: [64, 64], r: 30 }], 94, 64));
  assert.not.ok(at([{ op: 'circle', center: [64, 64], r: 30 }], 64, 64), 'a circle is an outline');
  // A ray goes on past its second point to the canvas edge.
  assert.ok(at([{ op: 'ray', from: [10, 64], through: [20, 64] }], 125, 64));
  assert.not.ok(at([{ op: 'line', from: [10, 64], to: [20, 64] }], 60, 64));
  // A polygon is shaded (a tint of the auxiliary colour) inside.
  const shaded = renderScene(EMPTY, [{ op: 'polygon', points: [[20, 20], [100, 20], [100, 100], [20, 100]] }]);
  const [r, g, b] = pixel(shaded, 60, 60);
  assert.ok(r! > 230 && b! > 230 && g! < 220 && g! > 120, `tint ${pixel(shaded, 60, 60)}`);
});

test('point labels are drawn in the point colour near the point', () => {
  const img = renderScene({ width: 128, height: 128, elements: [{ kind: 'point', id: 'P', at: [64, 64], label: 'P', color: 'red' }] }, [], { size: 128 });
  let near = 0;
  for (let y = 44; y < 84; y++) {
    for (let x = 44; x < 84; x++) {
      if (Math.hypot(x - 64, y - 64) < 4) continue;
      const [r, g, b] = pixel(img, x, y);
      // Anti-aliased glyph strokes are rarely the exact palette red, but clearly reddish.
      if (r! - g! > 40 && r! - b! > 40) near++;
    }
  }
  assert.ok(near > 10, `label pixels: ${near}`);
  const unlabelled = renderScene({ width: 128, height: 128, elements: [{ kind: 'point', id: 'P', at: [64, 64], color: 'red' }] });
  assert.not.ok(sameRaster(img, unlabelled), 'an id alone draws no label');
});

test('crop: the last box fills the output; coordinates stay in canvas space', () => {
  const ops: DrawOp[] = [{ op: 'point', at: [32, 32] }, { op: 'crop', box: [0, 0, 64, 64] }];
  const img = renderScene(EMPTY, ops, { size: 128 });
  assert.equal([img.width, img.height], [128, 128]);
  assert.ok(isAux(img, 64, 64), 'the point at (32, 32) is at the centre of the 0..64 view');
  assert.not.ok(isAux(img, 32, 32));
  const twice = renderScene(EMPTY, [{ op: 'crop', box: [0, 0, 16, 16] }, ...ops], { size: 128 });
  assert.ok(sameRaster(img, twice), 'only the last crop counts');
});

test('applyOps draws on a copy of any raster, scaled from the scene size', () => {
  const base = blankRaster(256, 256);
  const before = sha(base);
  const out = applyOps(base, [{ op: 'point', at: [64, 32] }], { width: 128, height: 128 });
  assert.is(sha(base), before, 'the base is not changed');
  assert.ok(isAux(out, 128, 64));
  const cropped = applyOps(base, [{ op: 'point', at: [32, 32] }, { op: 'crop', box: [0, 0, 64, 64] }], { width: 128, height: 128 });
  assert.equal([cropped.width, cropped.height], [256, 256]);
  assert.ok(isAux(cropped, 128, 128));
  // On a rendered scene, overlaying via applyOps puts the line where renderScene does.
  const figure = renderScene(TRIANGLE);
  assert.ok(isAux(applyOps(figure, [{ op: 'line', from: [10, 64], to: [118, 64] }], TRIANGLE), 64, 64));
});

test('PNG round trip is exact; bad bytes throw; transparency becomes white', () => {
  const img = renderScene(TRIANGLE, [{ op: 'circle', center: [50, 50], r: 10 }]);
  const png = encodePng(img);
  assert.equal(Array.from(png.subarray(1, 4)), [80, 78, 71]);
  assert.ok(sameRaster(decodePng(png), img));
  assert.ok(encodePng(img).equals(png), 'encoding is deterministic');
  assert.throws(() => decodePng(Buffer.from('not a png')), /not a decodable image/);
});

test('toModelInput: shape, range, exact area averages', () => {
  const img = blankRaster(4, 4);
  // Left half black: averaging 4x4 -> 2x2 keeps columns, 4x4 -> 1x1 gives 0.5.
  for (let y = 0; y < 4; y++) for (let x = 0; x < 2; x++) img.data.set([0, 0, 0, 255], (y * 4 + x) * 4);
  assert.equal(Array.from(toModelInput(img, 2)), [0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1]);
  assert.equal(Array.from(toModelInput(img, 1)), [0.5, 0.5, 0.5]);
  // 4 -> 3: the middle output column covers input columns 1 (black) and 2 (white) equally.
  const three = toModelInput(img, 3);
  assert.ok(Math.abs(three[3]! - 0.5) < 1e-6, `${three[3]}`);
  // Transparent pixels count as white.
  const clear = { width: 2, height: 2, data: new Uint8ClampedArray(16) };
  assert.equal(Array.from(toModelInput(clear, 1)), [1, 1, 1]);
  const big = toModelInput(renderScene(TRIANGLE, [], { size: 256 }), 64);
  assert.is(big.length, 64 * 64 * 3);
  assert.ok(big.every((v) => v >= 0 && v <= 1 + 1e-6));
  const out = new Float32Array(64 * 64 * 3);
  assert.is(toModelInput(renderScene(TRIANGLE, [], { size: 256 }), 64, out), out);
  assert.throws(() => toModelInput(img, 2, new Float32Array(3)), /expected 12/);
});

test('toModelInput: cached taps and the reused row buffer give the same floats in any call order', () => {
  const tall = renderScene(TRIANGLE, [], { size: 256 });
  const wide = { width: 300, height: 120, data: renderScene(TRIANGLE, [], { size: 300 }).data.slice(0, 300 * 120 * 4) };
  const first = [toModelInput(tall, 64), toModelInput(wide, 64), toModelInput(tall, 48)];
  // A larger image in between grows the shared rows; a smaller one after it must not read stale rows.
  toModelInput(renderScene(TRIANGLE, [], { size: 512 }), 96);
  const again = [toModelInput(tall, 48), toModelInput(wide, 64), toModelInput(tall, 64)].reverse();
  first.forEach((f, i) => assert.equal(Array.from(again[i]!), Array.from(f)));
});

test('contactSheet tiles rows with captions', () => {
  const a = renderScene(TRIANGLE, [], { size: 64 });
  const b = renderScene(TRIANGLE, [{ op: 'line', from: [0, 0], to: [128, 128] }], { size: 64 });
  const sheet = contactSheet([[a, b], [b]], { captions: [['original', 'overlay']], gap: 4 });
  assert.is(sheet.width, 4 + 2 * (64 + 4));
  assert.ok(sheet.height > 2 * 64 + 12);
  assert.ok(countAux(sheet) > 50);
  const empty = contactSheet([]);
  assert.equal([empty.width, empty.height], [1, 1]);
});

test.run();
