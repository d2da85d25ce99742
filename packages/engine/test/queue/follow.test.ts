// QueueExecutor.follow without Redis: a job that completes between the coordinator reading it and asking its state
// must still give its result. BullMQ's job object is a snapshot, so the snapshot read while the job was active has
// no return value; reading it as the result failed busy runs with "Cannot read properties of null (reading
// 'outputs')" (seen 1 run in 4 of test/queue/queue.test.ts with training on both cores).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { QueueExecutor } from '../../src/queue.ts';

/** An executor whose queue reads are `reads` in turn (the last one repeats); no connection. */
function executorReading(reads: Array<{ returnvalue: unknown; state: string }>) {
  let n = 0;
  const ex = Object.create(QueueExecutor.prototype) as Record<string, unknown>;
  Object.assign(ex, {
    early: new Map(), followers: new Map(), options: { pollMs: 5 },
    sub: { subscribe: async () => undefined, unsubscribe: async () => undefined },
    job: async () => {
      const r = reads[Math.min(n++, reads.length - 1)]!;
      return { name: 'c', returnvalue: r.returnvalue, getState: async () => r.state };
    },
  });
  return ex as unknown as QueueExecutor;
}

const handle = { executor: 'queue', id: 'job-1', where: 'cpu' };
const result = { outputs: { x: { digest: 'sha256:00' } }, metrics: {}, durationS: 1 };

test('follow: a job read while active and completed by the time its state is asked returns its result', async () => {
  // reads: the stage name, then the loop's snapshot (still without a result), then the fresh read
  const ex = executorReading([{ returnvalue: null, state: 'completed' }, { returnvalue: null, state: 'completed' }, { returnvalue: result, state: 'completed' }]);
  assert.equal(await ex.follow(handle, () => undefined, new AbortController().signal), result);
});

test('follow: a completed job without any result is an error naming the job, not a crash downstream', async () => {
  const ex = executorReading([{ returnvalue: null, state: 'completed' }]);
  await ex.follow(handle, () => undefined, new AbortController().signal).then(
    () => assert.unreachable('should have thrown'),
    (e: Error) => assert.match(e.message, /job job-1 completed without a result in queue cpu/),
  );
});

test.run();
