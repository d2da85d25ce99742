import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { DrawOp, SceneElement } from '../../vthinker/scene/types.ts';
import { createSample } from '../../vthinker/synth/create.ts';
import { FAMILY_IDS } from '../../vthinker/synth/families/index.ts';
import { synthesize } from '../../vthinker/synth/synthesize.ts';
import type { Sample } from '../../vthinker/synth/types.ts';
import { checkSample } from '../../vthinker/verify/checker.ts';
import { verifySamples } from '../../vthinker/verify/repair.ts';
import { solve } from '../../vthinker/verify/solver.ts';
import { rng } from '../../vthinker/util/random.ts';

const failing = (s: Sample) => {
  const v = checkSample(s);
  return (['qa', 'figure', 'overlay'] as const).filter((a) => !v.passed[a]);
};

test('generated samples pass all three axes', () => {
  for (const f of FAMILY_IDS) {
    const s = createSample({ family: f }, rng(`v ${f}`));
    const v = checkSample(s);
    assert.ok(v.ok, `${f}: ${JSON.stringify(v.scores)}`);
    assert.is(v.scores.qa.score, 10);
  }
});

test('a planted wrong answer fails only the Q&A axis, and the repairer fixes it', () => {
  const s = createSample({ family: 'ray-cross', target: 'yes' }, rng(1));
  const bad: Sample = { ...s, answer: 'no', solution: [...s.solution.slice(0, -1), 'answer no'] };
  assert.equal(failing(bad), ['qa']);
  assert.match(checkSample(bad).scores.qa.reasons.join(), /wrong-answer/);
  const out = verifySamples([bad]);
  assert.is(out.accepted.length, 1);
  assert.is(out.accepted[0]!.answer, 'yes');
  assert.is(out.accepted[0]!.thought.after, s.thought.after);
  assert.equal(out.accepted[0]!.solution, s.solution);
  assert.is(out.stats.repaired, 1);
  assert.is(out.stats.passRate.qa, 0);
  // With repair off it is rejected, with the reason counted.
  const off = verifySamples([bad], { maxRounds: 0 });
  assert.is(off.rejected.length, 1);
  assert.equal(off.stats.rejectsByReason, { 'qa/wrong-answer': 1 });
});

test('a wrong choice answer is repaired to the right label', () => {
  const s = createSample({ family: 'nearest-line' }, rng(3));
  const other = s.question.split(' ').slice(2, 5).find((l) => l !== s.answer)!;
  const out = verifySamples([{ ...s, answer: other }]);
  assert.is(out.accepted[0]!.answer, s.answer);
});

test('an off-canvas element fails the figure axis', () => {
  const s = createSample({ family: 'in-circle' }, rng(2));
  const el: SceneElement = { kind: 'circle', center: [120, 120], r: 30, color: 'grey' };
  const bad = { ...s, scene: { ...s.scene, elements: [...s.scene.elements, el] } };
  assert.ok(failing(bad).includes('figure'));
  assert.match(checkSample(bad).scores.figure.reasons.join(), /off-canvas/);
});

test('overlapping labels and degenerate elements fail the figure axis', () => {
  const s = createSample({ family: 'closer-endpoint' }, rng(5));
  const p = s.scene.elements.find((e) => e.kind === 'point')!;
  if (p.kind !== 'point') throw new Error('no point');
  const crowd: SceneElement = { kind: 'point', id: 'Z', label: 'Z', at: [p.at[0] + 3, p.at[1] + 1], color: 'ink' };
  const bad = { ...s, scene: { ...s.scene, elements: [...s.scene.elements, crowd] } };
  assert.ok(failing(bad).includes('figure'));
  assert.match(checkSample(bad).scores.figure.reasons.join(), /label-overlap|too-close/);
  const flat: SceneElement = { kind: 'polygon', points: [[10, 10], [50, 50], [90, 90]] };
  const zero: SceneElement = { kind: 'segment', from: [60, 60], to: [60, 60] };
  const reasons = checkSample({ ...s, scene: { ...s.scene, elements: [...s.scene.elements, flat, zero] } }).scores.figure.reasons.join();
  assert.match(reasons, /collinear or flat polygon/);
  assert.match(reasons, /zero-length segment/);
});

test('a wrong construction fails the overlay axis (property check), and an invisible one too', () => {
  const s = createSample({ family: 'ray-cross' }, rng(6));
  const ray = s.steps[0]!.ops[0]! as Extract<DrawOp, { op: 'ray' }>;
  const wrongOps: DrawOp[] = [{ op: 'ray', from: ray.from, through: [ray.through[0] + 9, ray.through[1] - 7] }];
  const wrong: Sample = { ...s, steps: [{ ...s.steps[0]!, ops: wrongOps }], overlay: wrongOps };
  assert.equal(failing(wrong), ['overlay']);
  assert.match(checkSample(wrong).scores.overlay.reasons.join(), /wrong-construction/);
  const perp = createSample({ family: 'foot-inside' }, rng(7));
  const tilted = perp.steps.map((st) => (st.tool === 'perpendicular' ? { ...st, ops: st.ops.map((op) => (op.op === 'line' ? { ...op, to: [op.to[0] + 6, op.to[1] + 4] as const } : op)) } : st));
  assert.ok(failing({ ...perp, steps: tilted, overlay: tilted.flatMap((t) => t.ops) }).includes('overlay'));
  const mid = createSample({ family: 'midpoint-nearest' }, rng(8));
  const hidden: DrawOp[] = [{ op: 'point', at: [-50, -50] }];
  const v = checkSample({ ...mid, steps: [{ ...mid.steps[0]!, ops: hidden }], overlay: hidden });
  assert.match(v.scores.overlay.reasons.join(), /invisible-construction/);
  const unused = checkSample({ ...mid, solution: mid.solution.slice(1) });
  assert.match(unused.scores.overlay.reasons.join(), /unused-construction/);
});

test('verifySamples statistics over a dataset; the solver refuses malformed questions clearly', () => {
  const { samples } = synthesize({ seed: 12, count: 60 });
  const out = verifySamples(samples);
  assert.is(out.stats.total, 60);
  assert.is(out.accepted.length + out.rejected.length, 60);
  assert.equal(out.stats.passRate, { qa: 1, figure: 1, overlay: 1 });
  assert.throws(() => solve(samples[0]!.scene, 'what is this ?'), /matches no question template/);
  assert.throws(() => solve(samples[0]!.scene, 'is Z on line Y X ?'), /no point labelled/);
  const broken = verifySamples([{ ...samples[0]!, question: 'what is this ?' }]);
  assert.match(broken.rejected[0]!.reasons.join(), /unsolvable/);
});

test.run();
