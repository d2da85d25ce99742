// The RL reward of the paper's released code, term by term:
//   format       w.format if the response has the strict <think>...</think> <answer>...</answer> layout
//   accuracy     w.correct if the answer equals the gold one, w.wrong if it does not, 0 when there is no answer
//   consistency  w.consistency if the reasoning agrees with the answer (consistency.ts)      } only when the
//   tool         w.tool x (calls without error / calls), 0 without calls                      } answer is correct
// A call failed iff its sandbox output starts with "Sandbox for" (the sandbox's error prefix) or is <error> (the
// tokenizer's stand-in for such a message). `withConsistency: false` gives the formula without the consistency term.
import { answersEqual } from './answer.ts';
import { isConsistent } from './consistency.ts';
import { parseTrajectory } from './trajectory.ts';
import { ERROR_TOKEN } from './tokenizer.ts';

export interface RewardWeights {
  format: number;
  correct: number;
  wrong: number;
  consistency: number;
  tool: number;
}

export const PAPER_REWARD_WEIGHTS: Readonly<RewardWeights> = { format: 0.5, correct: 1, wrong: -1, consistency: 0.5, tool: 0.3 };

export interface RewardOptions {
  weights?: Partial<RewardWeights>;
  /** Include the consistency term (default true). */
  withConsistency?: boolean;
}

export interface RewardInput {
  /** The response text (from <think> on). */
  response: string;
  gold: string;
  /** The reference conclusion for the gold answer (e.g. the sample's thought.after); see consistency.ts. */
  reference?: string;
}

export interface RewardBreakdown {
  total: number;
  format: number;
  accuracy: number;
  consistency: number;
  tool: number;
  /** The extracted answer; null when there is none (or it is empty). */
  answer: string | null;
  correct: boolean;
  formatOk: boolean;
  formatProblem?: string;
  consistent: boolean;
  calls: number;
  failedCalls: number;
}

/** Whether a sandbox output's content reports a failed call. */
export function isFailedOutput(content: string): boolean {
  const c = content.trim();
  return c.startsWith('Sandbox for') || c === ERROR_TOKEN;
}

export function computeReward(input: RewardInput, options: RewardOptions = {}): RewardBreakdown {
  const w: RewardWeights = { ...PAPER_REWARD_WEIGHTS, ...options.weights };
  const parsed = parseTrajectory(input.response);
  const answer = parsed.answer === null || parsed.answer === '' ? null : parsed.answer;
  const correct = answer !== null && answersEqual(answer, input.gold);
  const calls = parsed.sandboxOutputs.length;
  const failedCalls = parsed.sandboxOutputs.filter(isFailedOutput).length;
  const consistent = answer !== null && isConsistent(parsed.conclusion, answer, input.reference);

  const format = parsed.format.ok ? w.format : 0;
  const accuracy = answer === null ? 0 : correct ? w.correct : w.wrong;
  const consistency = correct && (options.withConsistency ?? true) && consistent ? w.consistency : 0;
  const tool = correct && calls > 0 ? (w.tool * (calls - failedCalls)) / calls : 0;
  return {
    total: format + accuracy + consistency + tool,
    format, accuracy, consistency, tool,
    answer, correct,
    formatOk: parsed.format.ok,
    ...(parsed.format.problem !== undefined ? { formatProblem: parsed.format.problem } : {}),
    consistent, calls, failedCalls,
  };
}
