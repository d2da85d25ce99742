// General questions (vthinker/general): answers that follow from the figure by a margin, in the curriculum's
// vocabulary; the data split by lineage; combinations held out of every training set; the benchmark on held-out figures.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { curriculumTokenizer } from '../../stages/training.ts';
import { comboOf, generalEpisode, generalItems, heldOutCombos, splitByLineage } from '../../vthinker/general/data.ts';
import { GENERAL_FAMILIES, generalQuestions } from '../../vthinker/general/questions.ts';
import type { Scene } from '../../vthinker/scene/types.ts';
import { synthesize } from '../../vthinker/synth/synthesize.ts';
import { rng } from '../../vthinker/util/random.ts';

const scene: Scene = {
  width: 128, height: 128,
  elements: [
    { kind: 'point', id: 'a', at: [20, 30], label: 'A' },
    { kind: 'point', id: 'b', at: [100, 90], label: 'B' },
    { kind: 'point', id: 'c', at: [60, 110], label: 'C' },
    { kind: 'point', id: 'd1', at: [40, 40] },
    { kind: 'segment', from: [20, 30], to: [100, 90] },
  ],
};

test('generalQuestions: counts, extremes, relations and halves, each the figure\'s answer', () => {
  const qs = new Map(generalQuestions(scene, rng(1)).map((q) => [q.family, q]));
  assert.is(qs.get('count-labels')!.answer, '3');
  assert.is(qs.get('count-dots')!.answer, '1');
  assert.is(qs.get('count-segments')!.answer, '1');
  assert.is(qs.get('leftmost')!.answer, 'A');
  assert.is(qs.get('rightmost')!.answer, 'B');
  assert.is(qs.get('highest')!.answer, 'A');
  assert.is(qs.get('lowest')!.answer, 'C');
  assert.not.ok(qs.has('count-bars') || qs.has('tallest-bar'), 'no bars, no bar questions');
  const near = qs.get('nearest-to')!;
  const asked = near.question.split(' ').at(-2)!;
  assert.is(near.answer, { A: 'C', B: 'C', C: 'B' }[asked]);
  for (const q of qs.values()) assert.ok(q.thought.length > 0);
});

test('generalQuestions: no question when the answer is within the margin (two points 3 px apart in x)', () => {
  const close: Scene = { ...scene, elements: [{ kind: 'point', id: 'a', at: [50, 30], label: 'A' }, { kind: 'point', id: 'b', at: [53, 90], label: 'B' }] };
  const families = generalQuestions(close, rng(2)).map((q) => q.family);
  assert.not.ok(families.includes('leftmost') || families.includes('rightmost') || families.includes('left-of'), families.join(' '));
  assert.ok(families.includes('highest'));
});

const { samples } = synthesize({ seed: 7, count: 120, width: 128 });

test('on flywheel figures every general question and thought encodes in the curriculum vocabulary', () => {
  const tok = curriculumTokenizer();
  const seen = new Set<string>();
  for (const s of samples) {
    for (const q of generalQuestions(s.scene, rng(s.id))) {
      seen.add(q.family);
      const e = generalEpisode({ id: 'x', sampleId: s.id, domain: s.domain, figureFamily: s.family, heldoutCombo: false, scene: s.scene, ...q });
      for (const text of [e.spec.question, e.spec.conclusion, e.spec.answer]) assert.equal(tok.encodeWithStats(text).unknown, [], text);
    }
  }
  assert.ok(seen.size >= GENERAL_FAMILIES.length - 2, `only ${[...seen].join(', ')}`);
});

test('splitByLineage: whole lineages per share, seeded, shares as asked; bad shares are refused', () => {
  const split = splitByLineage(samples, { rl: 0.2, val: 0.1 }, 3);
  const lineages = (xs: typeof samples) => new Set(xs.map((s) => s.seed));
  const [a, b, c] = [lineages(split.sft), lineages(split.rl), lineages(split.val)];
  assert.ok([...b].every((x) => !a.has(x) && !c.has(x)) && [...c].every((x) => !a.has(x)));
  assert.is(split.sft.length + split.rl.length + split.val.length, samples.length);
  assert.ok(split.rl.length > 0 && split.val.length > 0);
  assert.equal(splitByLineage(samples, { rl: 0.2, val: 0.1 }, 3), split);
  assert.throws(() => splitByLineage(samples, { rl: 0.6, val: 0.5 }, 3), /rl_share \+ val_share must leave a share for SFT/);
});

test('held-out combinations: kept out of training sets, flagged in the benchmark, never a whole question family', () => {
  const held = heldOutCombos(samples, 0.5, 4);
  assert.ok(held.size > 0);
  const families = new Set([...held].map((c) => c.split('|')[0]));
  for (const f of families) {
    const all = new Set(samples.flatMap((s) => generalQuestions(s.scene, rng(4).fork(`combos ${s.id}`)).filter((q) => q.family === f).map(() => comboOf(f!, s.family))));
    assert.ok([...all].some((c) => !held.has(c)), `every combination of ${f} held out`);
  }
  const train = generalItems(samples, { seed: 4, name: 't', perFigure: 3, held, trainOnly: true });
  assert.ok(train.length > samples.length);
  assert.ok(train.every((i) => !held.has(comboOf(i.family, i.figureFamily)) && !i.heldoutCombo));
  const bench = generalItems(samples, { seed: 4, name: 'b', perFigure: 1, held, trainOnly: false, limit: 60 });
  assert.is(bench.length, 60);
  assert.ok(bench.every((i) => i.heldoutCombo === held.has(comboOf(i.family, i.figureFamily))));
  assert.ok(bench.some((i) => i.heldoutCombo) && bench.some((i) => !i.heldoutCombo), 'the benchmark mixes both kinds');
  assert.is(new Set(bench.map((i) => i.id)).size, bench.length);
});

test('generalEpisode: a direct answer (no call), judged as reasoning, reported as general', () => {
  const [item] = generalItems(samples, { seed: 1, name: 'e', perFigure: 1, held: new Set(), trainOnly: true, limit: 1 });
  const e = generalEpisode(item!);
  assert.is(e.kind, 'reasoning');
  assert.is(e.source, 'general');
  assert.equal(e.spec.calls, []);
  assert.is(e.gold.answer, item!.answer);
});

test.run();
