// Does a gold trajectory state its answer before its first view? Then reading "off the view" is trivial (curve-value's
// "draw horizontal line at 5": the value is chosen before anything is drawn), and a reading measure must leave it out.
import type { TrajectorySpec } from '../vthinker/policy/trajectory.ts';

/** An answer-like word: a point label, a number, yes or no. */
const ANSWER_LIKE = /^([A-Z]|\d+|yes|no)$/;

/**
 * The thought before the first call names the answer more often than the question does, and more so than any other
 * answer-like word of the question (naming both candidates, "S is green and I is red", singles out neither).
 */
export function statesAnswer(spec: Pick<TrajectorySpec, 'question' | 'calls' | 'answer'>): boolean {
  const thought = (spec.calls[0]?.thought ?? '').split(/\s+/), question = spec.question.split(/\s+/);
  const extra = (w: string) => thought.filter((t) => t === w).length - question.filter((t) => t === w).length;
  const lead = extra(spec.answer);
  return lead > 0 && question.filter((w) => ANSWER_LIKE.test(w) && w !== spec.answer).every((w) => extra(w) < lead);
}
