// Planted creator mistakes are caught by the right checker axis; wrong answers are repaired.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { injectCreatorErrors } from '../../vthinker/synth/creator-errors.ts';
import { synthesize } from '../../vthinker/synth/synthesize.ts';
import { verifySamples } from '../../vthinker/verify/repair.ts';
import { rng } from '../../vthinker/util/random.ts';

const { samples } = synthesize({ seed: 5, count: 200 });
const { samples: noisy, planted } = injectCreatorErrors(samples, 0.5, rng(9));

test('about the requested share is corrupted, every kind appears, and it is deterministic', () => {
  const n = Object.keys(planted).length;
  assert.ok(n > 70 && n < 110, `planted ${n}`);
  assert.equal(new Set(Object.values(planted)).size, 4);
  assert.equal(injectCreatorErrors(samples, 0.5, rng(9)).planted, planted);
});

test('the checker-repairer repairs wrong answers and rejects the other mistakes; clean samples pass', () => {
  const v = verifySamples(noisy, { maxRounds: 2 });
  const rejected = new Set(v.rejected.map((r) => r.sample.id));
  const byKind: Record<string, { caught: number; total: number }> = {};
  for (const [id, kind] of Object.entries(planted)) {
    const k = (byKind[kind] ??= { caught: 0, total: 0 });
    k.total++;
    if (kind === 'wrong-answer' ? !rejected.has(id) && v.accepted.find((s) => s.id === id)!.answer === samples.find((s) => s.id === id)!.answer : rejected.has(id)) k.caught++;
  }
  for (const [kind, k] of Object.entries(byKind)) assert.ok(k.caught / k.total >= 0.9, `${kind}: ${k.caught}/${k.total}`);
  const cleanRejected = [...rejected].filter((id) => !planted[id]);
  assert.equal(cleanRejected, [], 'no clean sample rejected');
});

test.run();
