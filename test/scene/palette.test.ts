import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AUXILIARY, BACKGROUND, COLOR_NAMES, css, PALETTE, rgbOf, sized } from '../../vthinker/scene/palette.ts';

const distance = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);

test('every colour name has valid RGB and the names are distinct colours', () => {
  assert.equal(COLOR_NAMES.length, 10);
  for (const name of COLOR_NAMES) {
    const rgb = PALETTE[name];
    assert.ok(rgb.every((v) => Number.isInteger(v) && v >= 0 && v <= 255), name);
    for (const other of COLOR_NAMES) if (other !== name) assert.ok(distance(rgb, PALETTE[other]) > 40, `${name} vs ${other}`);
  }
});

test('the auxiliary colour is far from every palette colour and the background', () => {
  for (const name of COLOR_NAMES) assert.ok(distance(AUXILIARY, PALETTE[name]) > 120, name);
  assert.ok(distance(AUXILIARY, BACKGROUND) > 200);
});

test('css and rgbOf', () => {
  assert.is(css([1, 2, 3]), 'rgb(1,2,3)');
  assert.is(css([1, 2, 3], 0.5), 'rgba(1,2,3,0.5)');
  assert.equal(rgbOf(undefined), PALETTE.ink);
});

test('sizes scale with the canvas and never fall below the output-pixel floor', () => {
  assert.is(sized(2, 128, 1), 2);
  assert.is(sized(2, 256, 1), 4);
  // A 128 canvas rendered at 32 px: 2 reference px would be 0.5 output px; the floor keeps 1 output px = 4 units.
  assert.is(sized(2, 128, 0.25), 4);
});

test.run();
