// Episodes: one flywheel sample seen as one of VTBench's three tasks, as the interactive curriculum trains and
// evaluates them. Every kind is the same literal trajectory format (think, code, sandbox output, answer):
//   reasoning    the sample's question; its construction as one call (or one call per step with multiStep), the
//                flywheel's thoughts around it, the answer.                                      (VTBench IR)
//   instruction  the sample's drawing instruction ("draw ray S I"); its construction as one call; answer "done". (IGI)
//   perception   the perception question ("locate S"); a `point` mark per target as one call; the answer is the
//                paper's point dict {'P1': (x, y)}.                                        (VTBench Perception)
// Before each call the thought names the colours of the labelled things it mentions ("S is green and I is red"), so
// the token right before the coordinates already says what to look for (the same cue the perception stage trains;
// without it a small model confuses labelled points). The colour is read from the scene: a labelled point's own
// colour, and for a letter under a bar the bar's fill (bar colours are shuffled per chart; the fixed point colour of
// the letter would name the wrong bar).
import { thinkText } from '../train/perception.ts';
import type { TrajectorySpec } from '../policy/trajectory.ts';
import { DEFAULT_LIMITS } from '../sandbox/limits.ts';
import { formatProgram, parseProgram } from '../scene/drawlang.ts';
import type { ColorName, DrawOp, Scene } from '../scene/types.ts';
import type { Sample } from '../synth/types.ts';
import { withZoom } from './zoom.ts';

export type TaskKind = 'reasoning' | 'instruction' | 'perception';
export const TASK_KINDS: readonly TaskKind[] = ['reasoning', 'instruction', 'perception'];

/** What a reward or judge needs to score an episode's outcome. */
export interface Gold {
  /** reasoning: the answer; perception: the point dict text; instruction: "done". */
  answer: string;
  /** reasoning: the flywheel's conclusion for the gold answer (the consistency check's reference). */
  reference?: string;
  /** instruction: the ground-truth construction. */
  ops?: DrawOp[];
  /** perception: requested point name -> coordinates. */
  targets?: Record<string, [number, number]>;
}

export interface Episode {
  /** `<sample id>/<kind>`: unique, names sandboxes in messages. */
  id: string;
  sampleId: string;
  kind: TaskKind;
  /** 'general': a general visual question answered directly (vthinker/general), judged like a reasoning answer. */
  source?: 'general';
  domain: string;
  family: string;
  scene: Scene;
  spec: TrajectorySpec;
  gold: Gold;
}

export interface EpisodeOptions {
  /** Reasoning with 2+ construction steps: one call per step (the paper's multi-round trajectories). */
  multiStep?: boolean;
  /** Reasoning without interaction (the base model's data): no call, the flywheel's conclusion, the answer. */
  direct?: boolean;
  /** Reasoning in the chart families: the construction ends with a zoom on what the question turns on (zoom.ts). */
  zoom?: boolean;
}

const LABEL = /^[A-Z]$/;

/** Each single-letter label of the scene and the colour of what it names (labelled points, bars by their letter). */
export function labelColors(scene: Scene): Map<string, ColorName> {
  const colors = new Map<string, ColorName>();
  for (const el of scene.elements) if (el.kind === 'point' && el.label && LABEL.test(el.label)) colors.set(el.label, el.color ?? 'ink');
  for (const el of scene.elements) {
    if (el.kind !== 'text' || !LABEL.test(el.text) || colors.has(el.text)) continue;
    const x = el.at[0];
    const bar = scene.elements.find((b) => b.kind === 'rect' && x >= b.at[0] && x <= b.at[0] + b.w);
    if (bar?.kind === 'rect') colors.set(el.text, bar.fill ?? bar.color ?? 'ink');
  }
  return colors;
}

/** "S is green and I is red" for the single capital letters of `text` that the scene labels (first mention order). */
export function labelHint(text: string, scene: Scene): string {
  const colors = labelColors(scene);
  const labels = [...new Set(text.split(/\s+/).filter((w) => LABEL.test(w) && colors.has(w)))];
  return labels.map((l) => `${l} is ${colors.get(l)}`).join(' and ');
}

const joinThought = (...parts: string[]): string => parts.filter((p) => p.trim() !== '').join(' ');

/** The point dict text of perception targets, in key order: {'P1': (62, 77), 'P2': (10, 4)}. */
export function pointDict(targets: Record<string, readonly [number, number]>): string {
  return `{${Object.entries(targets).map(([k, [x, y]]) => `'${k}': (${Math.round(x)}, ${Math.round(y)})`).join(', ')}}`;
}

function reasoningSpec(sample: Sample, multiStep: boolean, zoom: boolean): TrajectorySpec {
  const steps = sample.steps.filter((s) => s.ops.length > 0);
  const last = (ops: readonly DrawOp[]): DrawOp[] => (zoom ? withZoom(sample, ops) : [...ops]);
  if (multiStep && steps.length >= 2) {
    const parts = sample.thought.before.split(' ; ');
    const thoughts = parts.length === steps.length ? parts : [sample.thought.before, ...steps.slice(1).map(() => '')];
    return {
      question: sample.question,
      calls: steps.map((s, i) => ({
        thought: joinThought(labelHint(thoughts[i]!, sample.scene), thoughts[i]!),
        ops: i === steps.length - 1 ? last(s.ops) : s.ops,
      })),
      conclusion: sample.thought.after,
      answer: sample.answer,
    };
  }
  return {
    question: sample.question,
    calls: [{ thought: joinThought(labelHint(sample.thought.before, sample.scene), sample.thought.before), ops: last(sample.overlay) }],
    conclusion: sample.thought.after,
    answer: sample.answer,
  };
}

/** The episode of one sample for one task kind. */
export function episodeOf(sample: Sample, kind: TaskKind, options: EpisodeOptions = {}): Episode {
  const base = { id: `${sample.id}/${kind}`, sampleId: sample.id, kind, domain: sample.domain, family: sample.family, scene: sample.scene };
  if (kind === 'reasoning' && options.direct) {
    const spec = { question: sample.question, calls: [], conclusion: sample.thought.after, answer: sample.answer };
    return { ...base, spec, gold: { answer: sample.answer, reference: sample.thought.after } };
  }
  if (kind === 'reasoning') {
    return { ...base, spec: reasoningSpec(sample, options.multiStep ?? true, options.zoom ?? false), gold: { answer: sample.answer, reference: sample.thought.after } };
  }
  if (kind === 'instruction') {
    const ops = sample.overlay.map((op) => structuredClone(op) as DrawOp);
    const spec = { question: sample.instruction, calls: [{ thought: labelHint(sample.instruction, sample.scene), ops }], conclusion: '', answer: 'done' };
    return { ...base, spec, gold: { answer: 'done', ops } };
  }
  const targets = Object.fromEntries(Object.entries(sample.perceptionTask.targets).map(([k, p]) => [k, [p[0], p[1]] as [number, number]]));
  const marks: DrawOp[] = Object.values(targets).map((at) => ({ op: 'point', at }));
  const question = sample.perceptionTask.question;
  const spec = { question, calls: [{ thought: labelHint(question, sample.scene) || thinkText({ question, level: 'surface' }), ops: marks }], conclusion: '', answer: pointDict(targets) };
  return { ...base, spec, gold: { answer: spec.answer, targets } };
}

/**
 * Whether an episode can be trained and judged: drawing tasks need a construction that is not a zoom (a crop
 * replaces the view, so "what changed" says nothing) and perception targets on the canvas. Reasoning episodes
 * may zoom (the answer is what is judged).
 */
export function usableEpisode(sample: Sample, kind: TaskKind): boolean {
  if (sample.overlay.length === 0) return false;
  // The episode's own calls must run in the sandbox (a verified construction can still end off the canvas, e.g. a
  // perpendicular's foot at x = 131 of 128, which the sandbox refuses; episodeViews would then throw mid-training).
  if (kind !== 'perception' && !sandboxAccepts(sample.overlay, sample.scene)) return false;
  if (kind === 'reasoning') return true;
  if (sample.overlay.some((op) => op.op === 'crop')) return false;
  if (kind === 'perception') {
    const targets = Object.values(sample.perceptionTask.targets);
    const { width, height } = sample.scene;
    return targets.length > 0 && targets.every(([x, y]) => x >= 0 && y >= 0 && x <= width && y <= height);
  }
  return true;
}

/** Whether the sandbox (default limits) accepts `ops` as one call on the scene's canvas. */
function sandboxAccepts(ops: DrawOp[], scene: Scene): boolean {
  const { margin, minCrop, maxPolygonPoints, maxOpsPerCall } = DEFAULT_LIMITS;
  return parseProgram(formatProgram(ops), { width: scene.width, height: scene.height, margin, minCrop, maxPolygonPoints, maxOps: maxOpsPerCall }).ok;
}
