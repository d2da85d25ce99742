// A simulated fallible creator. The paper's creators are language models whose samples are often wrong (a wrong
// answer, a construction in the wrong place, a bad figure), which is why the checker-repairer exists. Our rule-based
// creators are exact, so a share of their samples is corrupted on purpose, with the kind of mistake recorded apart
// from the sample (the checker never sees it). The verify stage then measures how many of each kind it catches,
// repairs or wrongly rejects, instead of checking samples that are correct by construction.
import type { DrawOp, Pt, SceneElement } from '../scene/types.ts';
import { parseQuestion } from '../knowledge/grammar.ts';
import type { Rng } from '../util/random.ts';
import { familyOf } from './families/index.ts';
import type { Sample } from './types.ts';

export const CREATOR_ERRORS = ['wrong-answer', 'shifted-construction', 'off-canvas', 'crowded-labels'] as const;
export type CreatorError = (typeof CREATOR_ERRORS)[number];

export interface InjectedErrors {
  samples: Sample[];
  /** Sample id -> the mistake planted in it. */
  planted: Record<string, CreatorError>;
}

/** Corrupts a `rate` share of the samples, cycling through the kinds of mistake. */
export function injectCreatorErrors(samples: readonly Sample[], rate: number, rng: Rng): InjectedErrors {
  if (!(rate >= 0 && rate <= 1)) throw new Error(`creator error rate must be in [0, 1], got ${rate}`);
  const planted: Record<string, CreatorError> = {};
  let k = 0;
  const out = samples.map((s, i) => {
    const r = rng.fork(`${i}`);
    if (!r.bool(rate)) return s;
    const kind = CREATOR_ERRORS[k++ % CREATOR_ERRORS.length]!;
    const bad = corrupt(s, kind, r);
    if (!bad) return s;
    planted[bad.id] = kind;
    return bad;
  });
  return { samples: out, planted };
}

function corrupt(s: Sample, kind: CreatorError, r: Rng): Sample | null {
  switch (kind) {
    case 'wrong-answer': {
      const family = familyOf(s.family);
      const options = family.choices ? family.choices(parseQuestion(s.question).slots) : [...family.answers];
      const others = options.filter((a) => a !== s.answer);
      if (!others.length) return null;
      const answer = r.pick(others);
      return { ...s, answer, solution: [...s.solution.slice(0, -1), `answer ${answer}`] };
    }
    case 'shifted-construction': {
      // The overlay is drawn 7-12 px away from where the scene's parameters put it.
      const d: Pt = [r.pick([-1, 1]) * r.int(7, 12), r.pick([-1, 1]) * r.int(7, 12)];
      const steps = s.steps.map((step, j) => (j === s.steps.length - 1 ? { ...step, ops: step.ops.map((op) => shift(op, d)) } : step));
      return { ...s, steps, overlay: steps.flatMap((st) => st.ops) };
    }
    case 'off-canvas':
    case 'crowded-labels': {
      const points = s.scene.elements.flatMap((e, j) => (e.kind === 'point' && e.label ? [j] : []));
      if (points.length < 2) return null;
      const [a, b] = r.shuffle(points) as [number, number];
      const other = s.scene.elements[b] as Extract<SceneElement, { kind: 'point' }>;
      const at: Pt = kind === 'off-canvas' ? [s.scene.width + r.int(4, 20), r.int(10, s.scene.height - 10)] : [other.at[0] + 3, other.at[1] + 2];
      const elements = s.scene.elements.map((e, j) => (j === a ? { ...(e as Extract<SceneElement, { kind: 'point' }>), at } : e));
      return { ...s, scene: { ...s.scene, elements } };
    }
  }
}

function shift(op: DrawOp, [dx, dy]: Pt): DrawOp {
  const m = (p: Pt): Pt => [p[0] + dx, p[1] + dy];
  switch (op.op) {
    case 'line': return { ...op, from: m(op.from), to: m(op.to) };
    case 'ray': return { ...op, from: m(op.from), through: m(op.through) };
    case 'point': return { ...op, at: m(op.at) };
    case 'circle': return { ...op, center: m(op.center) };
    case 'polygon': return { ...op, points: op.points.map(m) };
    case 'crop': return { ...op, box: [op.box[0] + dx, op.box[1] + dy, op.box[2] + dx, op.box[3] + dy] };
  }
}
