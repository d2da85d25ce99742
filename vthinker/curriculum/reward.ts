// The RL reward of an episode's rollout. Reasoning episodes get the paper's reward exactly (policy/reward.ts:
// format, accuracy +1/-1/0, consistency and tool terms gated on a correct answer). Drawing episodes (instruction,
// perception) have no answer to compare: their "accuracy" is the geometric judge of VTBench on what the sandbox
// actually drew (the successful calls' operations against the ground-truth construction or targets), with the same
// weights: correct when the judge passes, wrong otherwise, including when nothing was drawn. (The task is the
// drawing: scoring "nothing drawn" 0 like a missing answer made not drawing beat drawing badly, and GRPO learned
// to stop calling the sandbox: tiny rl2-noperc, tool calls per rollout 1.0 -> 0.04 in 40 steps.)
// `partialCredit` (a param) moves a failing drawing's score from `wrong` towards `correct` by its worst-part
// coverage x precision, halved: a graded signal a small policy can climb; off gives the binary paper-style term.
// Consistency applies to reasoning only (a drawing has no conclusion to agree with).
import { geometricJudge } from '../bench/judges.ts';
import type { BenchItem } from '../bench/types.ts';
import type { Rollout } from '../policy/rollout.ts';
import { computeReward, PAPER_REWARD_WEIGHTS, type RewardBreakdown, type RewardOptions } from '../policy/reward.ts';
import { parseTrajectory } from '../policy/trajectory.ts';
import type { Episode } from './episode.ts';

export interface EpisodeRewardOptions extends RewardOptions {
  partialCredit?: boolean;
}

export interface EpisodeReward extends RewardBreakdown {
  kind: Episode['kind'];
  /** A general question (Episode.source): scored as reasoning, reported apart. */
  general?: true;
}

/** The geometric judge's verdict on the successful calls of a rollout (drawing episodes). */
export function judgeDrawing(episode: Episode, out: Rollout): { pass: boolean; quality: number; drew: boolean } {
  const codes = out.calls.filter((c) => c.ok).map((c) => `<code> ${c.code} </code>`);
  if (codes.length === 0) return { pass: false, quality: 0, drew: false };
  const task = episode.kind === 'perception' ? 'perception' : 'instruction';
  const { width, height } = episode.scene;
  const item = { id: episode.id, truth: { width, height, targets: episode.gold.targets ?? {}, ops: episode.gold.ops ?? [] } } as unknown as BenchItem;
  const verdict = geometricJudge(task).judge(item, { text: codes.join(' ') }) as { score: 0 | 1; metrics?: Record<string, number> };
  const m = verdict.metrics ?? {};
  return { pass: verdict.score === 1, quality: verdict.score === 1 ? 1 : (m.worstPart ?? 0) * (m.precision ?? 0), drew: true };
}

export function episodeReward(episode: Episode, out: Rollout, options: EpisodeRewardOptions = {}): EpisodeReward {
  if (episode.kind === 'reasoning') {
    const general = episode.source === 'general' ? { general: true as const } : {};
    return { kind: episode.kind, ...general, ...computeReward({ response: out.text, gold: episode.gold.answer, reference: episode.gold.reference }, options) };
  }
  const w = { ...PAPER_REWARD_WEIGHTS, ...options.weights };
  const parsed = parseTrajectory(out.text);
  const verdict = judgeDrawing(episode, out);
  const calls = out.calls.length;
  const failedCalls = out.calls.filter((c) => !c.ok).length;
  const format = parsed.format.ok ? w.format : 0;
  const partial = options.partialCredit ? 0.5 * verdict.quality : 0;
  const accuracy = verdict.pass ? w.correct : w.wrong + (w.correct - w.wrong) * partial;
  const tool = verdict.pass && calls > 0 ? (w.tool * (calls - failedCalls)) / calls : 0;
  return {
    kind: episode.kind,
    total: format + accuracy + tool,
    format, accuracy, consistency: 0, tool,
    answer: parsed.answer,
    correct: verdict.pass,
    formatOk: parsed.format.ok,
    ...(parsed.format.problem !== undefined ? { formatProblem: parsed.format.problem } : {}),
    consistent: false, calls, failedCalls,
  };
}
