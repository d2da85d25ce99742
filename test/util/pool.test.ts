import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mapPool } from '../../vthinker/util/pool.ts';

test('mapPool: results in input order, never more than the limit in flight', async () => {
  let inFlight = 0, most = 0;
  const out = await mapPool([30, 5, 20, 1, 10], 2, async (ms, i) => {
    most = Math.max(most, ++inFlight);
    await new Promise((r) => setTimeout(r, ms));
    inFlight--;
    return `${i}:${ms}`;
  });
  assert.equal(out, ['0:30', '1:5', '2:20', '3:1', '4:10']);
  assert.is(most, 2);
  assert.equal(await mapPool([], 3, async () => 1), []);
  await mapPool([1], 0, async () => 1).then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /positive integer, got 0/));
});

test.run();
