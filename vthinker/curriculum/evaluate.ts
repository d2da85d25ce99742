// Rollout statistics: what a batch of rollouts says about a policy (rewards by term, accuracy per task kind, how
// often it calls the sandbox and how often those calls run). Used for rl1's and rl2's evaluations and rl2's curves.
import type { Policy } from '../model/policy.ts';
import type { Rollout } from '../policy/rollout.ts';
import type { Tokenizer } from '../policy/tokenizer.ts';
import { rng } from '../util/random.ts';
import { TASK_KINDS, type Episode, type TaskKind } from './episode.ts';
import { episodeReward, type EpisodeReward, type EpisodeRewardOptions } from './reward.ts';
import { runRollouts, type RolloutSettings } from './rollouts.ts';

export interface RolloutStats {
  count: number;
  reward: number;
  reward_format: number;
  reward_accuracy: number;
  reward_consistency: number;
  reward_tool: number;
  /** Share with a correct answer (reasoning) or a drawing the judge passes (instruction, perception). */
  accuracy: number;
  format_ok: number;
  /** Sandbox calls per rollout, and the share of calls that failed. */
  tool_calls: number;
  sandbox_error_rate: number;
  /** Share of rollouts with at least one call. */
  tool_use: number;
  /** Accuracy per task kind (NaN-free: kinds without rollouts are left out). */
  [key: `accuracy_${string}`]: number;
}

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

export function rolloutStats(rewards: readonly EpisodeReward[]): RolloutStats {
  const calls = rewards.reduce((a, r) => a + r.calls, 0);
  const failed = rewards.reduce((a, r) => a + r.failedCalls, 0);
  const stats: RolloutStats = {
    count: rewards.length,
    reward: mean(rewards.map((r) => r.total)),
    reward_format: mean(rewards.map((r) => r.format)),
    reward_accuracy: mean(rewards.map((r) => r.accuracy)),
    reward_consistency: mean(rewards.map((r) => r.consistency)),
    reward_tool: mean(rewards.map((r) => r.tool)),
    accuracy: mean(rewards.map((r) => (r.correct ? 1 : 0))),
    format_ok: mean(rewards.map((r) => (r.formatOk ? 1 : 0))),
    tool_calls: rewards.length ? calls / rewards.length : 0,
    sandbox_error_rate: calls ? failed / calls : 0,
    tool_use: mean(rewards.map((r) => (r.calls > 0 ? 1 : 0))),
  };
  for (const kind of [...TASK_KINDS, 'general'] as const) {
    const of = rewards.filter((r) => (kind === 'general' ? r.general : r.kind === kind && !r.general));
    if (of.length) stats[`accuracy_${kind}`] = mean(of.map((r) => (r.correct ? 1 : 0)));
  }
  return stats;
}

export interface Evaluation {
  stats: RolloutStats;
  rollouts: Rollout[];
  rewards: EpisodeReward[];
}

/** Rollouts of every episode in batches, scored. Greedy unless settings say otherwise. */
export async function evaluateEpisodes(
  policy: Policy, tok: Tokenizer, episodes: readonly Episode[],
  settings: RolloutSettings, reward: EpisodeRewardOptions = {}, options: { batchSize?: number; seed?: number } = {},
): Promise<Evaluation> {
  const bs = options.batchSize ?? 64;
  const rollouts: Rollout[] = [];
  const r = rng(options.seed ?? 0).fork('evaluate');
  for (let i = 0; i < episodes.length; i += bs) {
    rollouts.push(...(await runRollouts(policy, tok, episodes.slice(i, i + bs), settings, r)));
  }
  const rewards = episodes.map((e, i) => episodeReward(e, rollouts[i]!, reward));
  return { stats: rolloutStats(rewards), rollouts, rewards };
}

/** Round every value for stable JSON (metrics files and eval reports). */
export function roundStats<T extends object>(stats: T, digits = 4): T {
  return Object.fromEntries(Object.entries(stats).map(([k, v]) => [k, +(v as number).toFixed(digits)])) as T;
}

export type { TaskKind };
