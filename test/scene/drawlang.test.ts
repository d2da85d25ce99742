import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatProgram, parseProgram } from '../../vthinker/scene/drawlang.ts';
import type { DrawOp } from '../../vthinker/scene/types.ts';
import { rng } from '../../vthinker/util/random.ts';

const canvas = { width: 128, height: 128 };
const ok = (text: string) => {
  const result = parseProgram(text, canvas);
  if (!result.ok) assert.unreachable(result.error);
  return result.ok ? result.ops : [];
};
const error = (text: string, options = canvas) => {
  const result = parseProgram(text, options);
  assert.not.ok(result.ok, `expected "${text.slice(0, 40)}" to fail`);
  return result.ok ? '' : result.error;
};

const ALL: DrawOp[] = [
  { op: 'line', from: [1, 2], to: [30, 40] },
  { op: 'ray', from: [10, 10], through: [20, 30] },
  { op: 'point', at: [64, 64] },
  { op: 'circle', center: [64, 64], r: 20 },
  { op: 'polygon', points: [[0, 0], [10, 0], [10, 10], [0, 10]] },
  { op: 'crop', box: [8, 8, 100, 120] },
];

test('format gives the documented text form', () => {
  assert.is(formatProgram(ALL), 'line 1 2 30 40\nray 10 10 20 30\npoint 64 64\ncircle 64 64 20\npolygon 0 0 10 0 10 10 0 10\ncrop 8 8 100 120');
  assert.is(formatProgram([{ op: 'point', at: [1.4, 2.5] }]), 'point 1 3');
});

test('round trip: parse(format(ops)) == ops, also for random programs', () => {
  assert.equal(ok(formatProgram(ALL)), ALL);
  const r = rng(11);
  const p = () => [r.int(0, 128), r.int(0, 128)] as const;
  for (let i = 0; i < 200; i++) {
    const ops: DrawOp[] = Array.from({ length: r.int(1, 6) }, () => {
      switch (r.int(0, 4)) {
        case 0: return { op: 'line', from: p(), to: p() };
        case 1: return { op: 'point', at: p() };
        case 2: return { op: 'circle', center: p(), r: r.int(1, 60) };
        case 3: return { op: 'polygon', points: [p(), p(), p()] };
        default: return { op: 'crop', box: [r.int(0, 50), r.int(0, 50), r.int(60, 128), r.int(60, 128)] };
      }
    });
    assert.equal(ok(formatProgram(ops)), ops);
  }
});

test('tolerant of layout: whitespace, blank lines, semicolons, commas, parentheses, case, fences, comments', () => {
  const text = '```draw\n\n   LINE  1, 2,30 40 ;point(64, 64)\r\n# a comment\ncircle 64 64 20 // radius 20\n\n```\n';
  assert.equal(ok(text), [ALL[0], ALL[2], ALL[3]]);
  assert.equal(ok(''), []);
  assert.equal(ok('\n ; ;\n'), []);
});

test('errors say which line and why', () => {
  assert.is(error('point 1 1\nlin 1 2 3 4'), 'line 2: unknown operation "lin"; use one of line, ray, point, circle, polygon, crop');
  assert.is(error('line 1 2 3'), 'line 1: line takes 4 integers (line X1 Y1 X2 Y2), got 3');
  assert.is(error('polygon 1 2 3 4 5'), 'line 1: polygon takes an even number (at least 6) of integers (polygon X1 Y1 X2 Y2 X3 Y3 ...), got 5');
  assert.is(error('point 10.5 3'), 'line 1: coordinates are whole pixels: got 10.5, round it to an integer');
  assert.is(error('point NaN 3'), 'line 1: "NaN" is not a number');
  assert.is(error('point 1e3 3'), 'line 1: coordinates are whole pixels: got 1e3, round it to an integer');
  assert.is(error('point 99999999999999999999 3'), 'line 1: number 999999999999... is too large (coordinates are canvas pixels)');
  assert.is(error('\n\npoint 200 3'), 'line 3: (200, 3) is outside the 128x128 canvas');
  assert.is(error('crop 0 0 4 4'), 'line 1: crop box (0, 0, 4, 4) must be at least 8x8 with x0 < x1 and y0 < y1');
  assert.is(error('point 1 1; point 2 2; point 3 3', { ...canvas, maxOps: 2 } as typeof canvas), 'line 1: too many operations (at most 2 per call)');
});

test('negative zero and signs parse as plain integers', () => {
  const [op] = ok('point -0 +5');
  assert.equal(op, { op: 'point', at: [0, 5] });
  // -0 would print as 0 but compare unequal under Object.is: parsing normalises it so programs hash the same.
  assert.ok(op!.op === 'point' && Object.is(op!.at[0], 0));
});

test.run();
