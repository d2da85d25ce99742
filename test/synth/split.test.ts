import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalScene, comboKey, splitHeldOut } from '../../vthinker/synth/split.ts';
import { synthesize } from '../../vthinker/synth/synthesize.ts';
import { createSample } from '../../vthinker/synth/create.ts';
import type { Sample } from '../../vthinker/synth/types.ts';
import { rng } from '../../vthinker/util/random.ts';

test('canonical scene ignores labels, colours and element order, not geometry', () => {
  const s = createSample({ family: 'ray-cross' }, rng(4)).scene;
  const relabelled = { ...s, elements: [...s.elements].reverse().map((e) => (e.kind === 'point' ? { ...e, id: 'Z', label: 'Z', color: 'ink' as const } : e)) };
  assert.is(canonicalScene(relabelled), canonicalScene(s));
  const moved = { ...s, elements: s.elements.map((e) => (e.kind === 'point' ? { ...e, at: [e.at[0] + 9, e.at[1]] as const } : e)) };
  assert.is.not(canonicalScene(moved), canonicalScene(s));
});

test('held-out pool: disjoint seeds, unseen concept combinations, no canonical twin in training', () => {
  const { samples } = synthesize({ seed: 21, count: 400 });
  // Plant a twin: a training candidate whose figure equals a held-out one up to labels.
  const twin: Sample = { ...samples[0]!, id: 'twin', seed: 999_999, knowledge: samples[1]!.knowledge, family: samples[1]!.family };
  const split = splitHeldOut([...samples, twin], { seed: 1 });
  assert.ok(split.heldOut.length >= 50 && split.train.length >= 300);
  const trainSeeds = new Set(split.train.map((s) => s.seed));
  assert.ok(split.heldOut.every((s) => !trainSeeds.has(s.seed)));
  const trainCombos = new Set(split.train.map(comboKey));
  assert.ok(split.heldOutCombos.length >= 1);
  for (const c of split.heldOutCombos) assert.not.ok(trainCombos.has(c), c);
  const trainScenes = new Set(split.train.map((s) => canonicalScene(s.scene)));
  for (const h of split.heldOut) assert.not.ok(trainScenes.has(canonicalScene(h.scene)), `twin of ${h.id} in training`);
  assert.is(split.train.length + split.heldOut.length + split.dropped.seed + split.dropped.twin, samples.length + 1);
  assert.equal(splitHeldOut(samples, { seed: 1 }), splitHeldOut(samples, { seed: 1 }));
  assert.throws(() => splitHeldOut(samples, { seed: 1, fraction: 2 }), /fraction/);
});

test.run();
