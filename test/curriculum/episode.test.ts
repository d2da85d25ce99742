// Episodes (curriculum/episode.ts): one flywheel sample as each of VTBench's three tasks, the colour hint before
// each call, the perception point dict, and which samples make usable episodes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { episodeOf, labelColors, labelHint, pointDict, TASK_KINDS, usableEpisode } from '../../vthinker/curriculum/episode.ts';
import { episodeViews } from '../../vthinker/curriculum/examples.ts';
import { buildTrajectory } from '../../vthinker/policy/trajectory.ts';
import type { DrawOp, Scene } from '../../vthinker/scene/types.ts';
import { labelColor } from '../../vthinker/synth/layout.ts';
import { synthesize } from '../../vthinker/synth/synthesize.ts';
import type { Sample } from '../../vthinker/synth/types.ts';
import { thinkText } from '../../vthinker/train/perception.ts';
import { tok } from './fixtures/tiny.ts';

const { samples } = synthesize({ seed: 3, count: 60 });
const of = (family: string, pred: (s: Sample) => boolean = () => true): Sample => {
  const s = samples.find((x) => x.family === family && pred(x) && usableEpisode(x, 'instruction'));
  if (!s) throw new Error(`fixture: no usable ${family} sample`);
  return s;
};
const oneStep = of('ray-cross');
const threeSteps = of('nearest-line', (s) => s.steps.length === 3);

test('labelHint: the scene\'s colours of the single capital letters it labels, first mention order, once each', () => {
  const scene: Scene = {
    width: 128, height: 128, elements: [
      { kind: 'point', id: 'S', at: [10, 10], label: 'S', color: labelColor('S') },
      { kind: 'point', id: 'I', at: [50, 10], label: 'I', color: labelColor('I') },
    ],
  };
  assert.is(labelHint('extend S I', scene), `S is ${labelColor('S')} and I is ${labelColor('I')}`);
  assert.is(labelHint('S I S', scene), labelHint('S I', scene));
  assert.is(labelHint('I then S', scene), `I is ${labelColor('I')} and S is ${labelColor('S')}`);
  assert.is(labelHint('P1 AB a the segment', scene), '');
  assert.is(labelHint('', scene), '');
  assert.is(labelHint('  S  ', scene), `S is ${labelColor('S')}`);
  assert.is(labelHint('extend S Q', scene), `S is ${labelColor('S')}`, 'a letter the scene does not label gets no colour');
});

test('labelHint: a letter under a bar names the bar\'s colour, not the letter\'s fixed point colour', () => {
  const bars = of('bar-compare');
  const letters = bars.scene.elements.flatMap((el) => (el.kind === 'text' && /^[A-Z]$/.test(el.text) ? [el] : []));
  assert.ok(letters.length >= 4);
  for (const letter of letters) {
    const bar = bars.scene.elements.find((el) => el.kind === 'rect' && Math.abs(el.at[0] + el.w / 2 - letter.at[0]) <= 1);
    assert.ok(bar?.kind === 'rect', `a bar above ${letter.text}`);
    assert.is(labelHint(`bar ${letter.text}`, bars.scene), `${letter.text} is ${bar.fill}`);
  }
  const colours = letters.map((l) => labelColors(bars.scene).get(l.text));
  assert.ok(colours.some((c, i) => c !== labelColor(letters[i]!.text)), 'the fixture has a bar whose colour differs from its letter\'s point colour');
  const perception = episodeOf(bars, 'perception');
  const asked = bars.perceptionTask.question.split(' ').at(-1)!;
  assert.is(perception.spec.calls[0]!.thought, `${asked} is ${labelColors(bars.scene).get(asked)}`);
});

test('pointDict: rounded coordinates, key order, the paper\'s dict format', () => {
  assert.is(pointDict({ P1: [61.6, 77.4], P2: [10, 4] }), "{'P1': (62, 77), 'P2': (10, 4)}");
  assert.is(pointDict({ B: [0, 128], A: [5, 5] }), "{'B': (0, 128), 'A': (5, 5)}");
  assert.is(pointDict({}), '{}');
});

test('reasoning: one call per construction step with its own thought and hint, then conclusion and answer', () => {
  const s = threeSteps;
  const e = episodeOf(s, 'reasoning');
  assert.is(e.id, `${s.id}/reasoning`);
  assert.equal([e.sampleId, e.kind, e.domain, e.family], [s.id, 'reasoning', s.domain, s.family]);
  assert.is(e.scene, s.scene);
  assert.is(e.spec.question, s.question);
  assert.equal(e.spec.calls.map((c) => c.ops), s.steps.map((st) => st.ops));
  const thoughts = s.thought.before.split(' ; ');
  assert.is(thoughts.length, 3, 'the flywheel joins one thought per step');
  e.spec.calls.forEach((c, i) => {
    const hint = labelHint(thoughts[i]!, s.scene);
    assert.is(c.thought, hint ? `${hint} ${thoughts[i]}` : thoughts[i]);
  });
  assert.is(e.spec.conclusion, s.thought.after);
  assert.is(e.spec.answer, s.answer);
  assert.equal(e.gold, { answer: s.answer, reference: s.thought.after });
  // multiStep: false (and one-step samples) give the whole overlay as one call.
  for (const [sample, options] of [[threeSteps, { multiStep: false }], [oneStep, {}]] as const) {
    const single = episodeOf(sample, 'reasoning', options);
    assert.is(single.spec.calls.length, 1);
    assert.equal(single.spec.calls[0]!.ops, sample.overlay);
    assert.is(single.spec.calls[0]!.thought, `${labelHint(sample.thought.before, sample.scene)} ${sample.thought.before}`.trim());
  }
});

test('reasoning, direct: no call, the conclusion and the answer (the base model\'s data)', () => {
  const e = episodeOf(threeSteps, 'reasoning', { direct: true });
  assert.equal(e.spec, { question: threeSteps.question, calls: [], conclusion: threeSteps.thought.after, answer: threeSteps.answer });
  assert.equal(e.gold, { answer: threeSteps.answer, reference: threeSteps.thought.after });
  const t = buildTrajectory(tok, e.spec);
  assert.not.ok(t.ids.includes(tok.ids.code));
  assert.not.ok(t.ids.includes(tok.ids.sandbox));
  // direct only changes reasoning episodes
  assert.equal(episodeOf(threeSteps, 'instruction', { direct: true }), episodeOf(threeSteps, 'instruction'));
});

test('instruction: the drawing instruction, the construction as one call after its colour hint, answer done', () => {
  const s = threeSteps;
  const e = episodeOf(s, 'instruction');
  assert.is(e.id, `${s.id}/instruction`);
  assert.is(e.spec.question, s.instruction);
  assert.equal(e.spec.calls, [{ thought: labelHint(s.instruction, s.scene), ops: s.overlay }]);
  assert.is(e.spec.conclusion, '');
  assert.is(e.spec.answer, 'done');
  assert.equal(e.gold, { answer: 'done', ops: s.overlay });
  // the episode's ops are copies: editing them leaves the sample alone
  const before = JSON.stringify(s.overlay);
  const op = e.gold.ops![0]! as unknown as Record<string, unknown>;
  let edited = 0;
  for (const v of Object.values(op)) if (Array.isArray(v)) (v as unknown[])[0] = -1, edited++;
  assert.ok(edited > 0);
  assert.is.not(JSON.stringify(e.gold.ops), before);
  assert.is(JSON.stringify(s.overlay), before);
});

test('perception: a point mark per target as one call, the point dict as the answer', () => {
  const s = oneStep;
  const e = episodeOf(s, 'perception');
  const targets = s.perceptionTask.targets;
  assert.is(e.spec.question, s.perceptionTask.question);
  assert.is(e.spec.calls.length, 1);
  assert.is(e.spec.calls[0]!.thought, thinkText({ question: s.perceptionTask.question, level: 'surface' }));
  assert.equal(e.spec.calls[0]!.ops, Object.values(targets).map((at) => ({ op: 'point', at })));
  assert.is(e.spec.answer, pointDict(targets));
  assert.equal(e.gold, { answer: pointDict(targets), targets });
  assert.match(e.spec.answer, /^\{'P1': \(\d+, \d+\)/);
});

test('every kind of every usable sample encodes with the curriculum vocabulary (no <unk>)', () => {
  let n = 0;
  for (const s of samples) {
    for (const kind of TASK_KINDS) {
      if (!usableEpisode(s, kind)) continue;
      const t = buildTrajectory(tok, episodeOf(s, kind).spec);
      assert.equal(t.unknown, [], `${s.id}/${kind}`);
      n++;
    }
  }
  assert.ok(n > 150, `${n} episodes`);
});

test('usableEpisode: a construction to draw; no zoom for drawing tasks; perception targets on the canvas', () => {
  const s = oneStep;
  for (const kind of TASK_KINDS) assert.ok(usableEpisode(s, kind), kind);
  const none = { ...s, overlay: [], steps: [] };
  for (const kind of TASK_KINDS) assert.not.ok(usableEpisode(none, kind), `${kind} without a construction`);
  const zoom = { ...s, overlay: [...s.overlay, { op: 'crop', box: [10, 10, 90, 90] } as DrawOp] };
  assert.ok(usableEpisode(zoom, 'reasoning'), 'reasoning may zoom');
  assert.not.ok(usableEpisode(zoom, 'instruction'));
  assert.not.ok(usableEpisode(zoom, 'perception'));
  const offTarget = { ...s, perceptionTask: { ...s.perceptionTask, targets: { P1: [130, 20] as [number, number] } } };
  assert.not.ok(usableEpisode(offTarget, 'perception'));
  assert.ok(usableEpisode(offTarget, 'instruction'));
  const noTarget = { ...s, perceptionTask: { ...s.perceptionTask, targets: {} } };
  assert.not.ok(usableEpisode(noTarget, 'perception'));
  const edge = { ...s, perceptionTask: { ...s.perceptionTask, targets: { P1: [128, 0] as [number, number] } } };
  assert.ok(usableEpisode(edge, 'perception'), 'the canvas edge is on the canvas');
});

test('usableEpisode: a construction the sandbox refuses (off the canvas) is not usable for reasoning or instruction', () => {
  const s = oneStep;
  const off = { ...s, overlay: [...s.overlay, { op: 'line', from: [112, 50], to: [131, 81] } as DrawOp] };
  assert.not.ok(usableEpisode(off, 'reasoning'));
  assert.not.ok(usableEpisode(off, 'instruction'));
  assert.ok(usableEpisode(off, 'perception'), 'perception draws marks at its targets, not the construction');
  // Regression: the flywheel verifies samples whose construction ends off the canvas (a nearest-line foot at
  // x = 131 of 128); every episode called usable must run in the sandbox, or training throws mid-run.
  const many = synthesize({ seed: 3, count: 400, families: ['nearest-line', 'foot-inside'] }).samples;
  let used = 0, refused = 0;
  for (const x of many) {
    for (const kind of TASK_KINDS) {
      if (!usableEpisode(x, kind)) {
        if (kind !== 'perception' && x.overlay.length) refused++;
        continue;
      }
      used++;
      const e = episodeOf(x, kind);
      assert.is(episodeViews(e).length, e.spec.calls.length + 1, e.id);
    }
  }
  assert.ok(refused > 0, 'the fixture has no off-canvas construction any more');
  assert.ok(used > 1000, `${used} episodes`);
});

test.run();
