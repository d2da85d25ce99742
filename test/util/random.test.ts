import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rng } from '../../vthinker/util/random.ts';

test('same seed gives the same stream; different seeds differ', () => {
  const a = rng(7), b = rng(7), c = rng(8);
  const xs = Array.from({ length: 5 }, () => a.next());
  assert.equal(xs, Array.from({ length: 5 }, () => b.next()));
  assert.not.equal(xs, Array.from({ length: 5 }, () => c.next()));
});

test('int stays in range and covers it', () => {
  const r = rng(1);
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) {
    const v = r.int(3, 6);
    assert.ok(v >= 3 && v <= 6);
    seen.add(v);
  }
  assert.equal([...seen].sort(), [3, 4, 5, 6]);
});

test('normal draws have roughly the requested mean and spread', () => {
  const r = rng(2);
  const xs = Array.from({ length: 20000 }, () => r.normal(8, 4));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
  assert.ok(Math.abs(mean - 8) < 0.1, `mean ${mean}`);
  assert.ok(Math.abs(sd - 4) < 0.1, `sd ${sd}`);
});

test('forks are independent of later draws on the parent', () => {
  const a = rng(3), b = rng(3);
  b.next();
  assert.equal(a.fork('x').next(), b.fork('x').next());
  assert.not.equal(a.fork('x').next(), a.fork('y').next());
});

test.run();
