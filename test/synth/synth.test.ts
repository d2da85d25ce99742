import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildTree, conceptsForFamily } from '../../vthinker/knowledge/tree.ts';
import { createSample } from '../../vthinker/synth/create.ts';
import { FAMILIES, FAMILY_IDS } from '../../vthinker/synth/families/index.ts';
import { datasetStats, sampleSheet } from '../../vthinker/synth/stats.ts';
import { synthesize } from '../../vthinker/synth/synthesize.ts';
import { solve } from '../../vthinker/verify/solver.ts';
import { rng } from '../../vthinker/util/random.ts';

test('at least 12 families over the 4 domains', () => {
  assert.ok(FAMILY_IDS.length >= 12);
  assert.equal(new Set(Object.values(FAMILIES).map((f) => f.domain)).size, 4);
});

test('every family: the independent solver recomputes the creator answer over many seeds', () => {
  for (const f of FAMILY_IDS) {
    for (let i = 0; i < 30; i++) {
      const s = createSample({ family: f }, rng(`family ${f} ${i}`));
      assert.is(solve(s.scene, s.question), s.answer, `${f} seed ${i}: ${s.question}`);
    }
  }
});

test('sample shape: steps concatenate to the overlay; solution walks through them; perception targets on canvas', () => {
  for (const f of FAMILY_IDS) {
    const s = createSample({ family: f }, rng(f));
    assert.equal(s.overlay, s.steps.flatMap((st) => st.ops));
    assert.equal(s.instruction, s.steps.map((st) => st.note).join(' ; '));
    assert.is(s.solution[s.solution.length - 1], `answer ${s.answer}`);
    assert.ok(s.knowledge.length >= 1 && s.tools.length >= 1);
    for (const [x, y] of Object.values(s.perceptionTask.targets)) assert.ok(x >= 0 && x <= 128 && y >= 0 && y <= 128, f);
    assert.equal(JSON.parse(JSON.stringify(s)), s);
  }
});

test('same seed -> byte-identical dataset; another seed differs', () => {
  const a = JSON.stringify(synthesize({ seed: 42, count: 80 }));
  const b = JSON.stringify(synthesize({ seed: 42, count: 80 }));
  assert.is(a, b);
  assert.is.not(a, JSON.stringify(synthesize({ seed: 43, count: 80 })));
  // Any sample is rebuilt alone from its own seed and spec.
  const one = synthesize({ seed: 42, count: 3 }).samples[0]!;
  assert.is(JSON.stringify(createSample({ family: one.family, target: one.answer }, rng(one.seed)).scene), JSON.stringify(one.scene));
});

test('answers are balanced within every family', () => {
  const { samples, counts } = synthesize({ seed: 7, count: 20 * 24 });
  const st = datasetStats(samples);
  for (const f of FAMILY_IDS) {
    const share = st.majorityShare[f]!;
    const options = FAMILIES[f].answers.length;
    assert.ok(share <= 1 / options + 0.05, `${f}: majority share ${share} with ${options} answers`);
    assert.is(counts[f], 24);
  }
});

test('both directions: concepts -> data + predicted tools; tools -> data + predicted knowledge paths', () => {
  const tree = buildTree();
  const concept = 'Geometry > Plane Geometry > Triangle > Median';
  const s = createSample({ concepts: [concept] }, rng(1));
  assert.is(s.family, 'median-cross');
  assert.equal(s.knowledge, [concept]);
  assert.equal(s.tools, ['median']);
  const t = createSample({ tools: ['circle-through'] }, rng(2));
  assert.ok(['in-circle', 'dots-in-circle'].includes(t.family));
  assert.equal(t.knowledge, conceptsForFamily(tree, t.family));
  const { directions } = synthesize({ seed: 1, count: 60 });
  assert.ok(directions.family > 0 && directions.concepts > 0 && directions.tools > 0);
});

test('malformed specs get clear errors', () => {
  assert.throws(() => createSample({ family: 'nope' }, rng(1)), /unknown family/);
  assert.throws(() => createSample({ family: 'ray-cross', target: 'maybe' }, rng(1)), /not an answer/);
  assert.throws(() => createSample({ family: 'ray-cross', width: 40 }, rng(1)), /too small/);
  assert.throws(() => createSample({ concepts: ['Nowhere > Nothing'] }, rng(1)), /unknown concept/);
  assert.throws(() => createSample({ tools: ['hammer'] }, rng(1)), /unknown tool/);
  assert.throws(() => createSample({ family: 'ray-cross', concepts: ['Geometry > Plane Geometry > Triangle > Median'] }, rng(1)), /creates family/);
  assert.throws(() => synthesize({ seed: 1, count: -1 }), /non-negative/);
  assert.throws(() => synthesize({ seed: 1, count: 1, families: [] }), /empty/);
});

test('stats and contact sheet', () => {
  const { samples } = synthesize({ seed: 3, count: 40 });
  const st = datasetStats(samples);
  assert.is(st.samples, 40);
  assert.is(Object.values(st.byDomain).reduce((a, b) => a + b, 0), 40);
  assert.ok(Object.keys(st.byTool).length >= 8);
  const sheet = sampleSheet(samples, rng(1), { count: 3, size: 64 });
  assert.ok(sheet.width > 128 && sheet.height > 3 * 64);
});

test.run();
