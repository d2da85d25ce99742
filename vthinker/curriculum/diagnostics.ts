// What RL can and cannot do with a policy, measured before and after GRPO (issue #33): on a set of episodes, the
// greedy answer, k samples at the RL temperature, and from them pass@1 (the mean share of right samples), pass@k (at
// least one right) and the rescue rate (at least one right among items the greedy answer gets wrong: the headroom RL
// can turn into greedy gains). The same on the episodes with each image swapped for another figure of the same
// family and task (the gold answer kept): when success does not fall, it does not depend on the picture.
import type { Policy } from '../model/policy.ts';
import type { Tokenizer } from '../policy/tokenizer.ts';
import { rng, type Rng } from '../util/random.ts';
import type { Episode } from './episode.ts';
import { episodeReward, type EpisodeRewardOptions } from './reward.ts';
import { runRollouts, type RolloutSettings } from './rollouts.ts';

export interface PassStats {
  items: number;
  greedy: number;
  pass1: number;
  passK: number;
  /** Items the greedy answer gets wrong with at least one right sample, over the items it gets wrong. */
  rescue: number;
  greedyWrong: number;
}

/** The group an episode is reported in: general questions apart from the flywheel's task kinds. */
export const groupOf = (e: Episode): string => (e.source === 'general' ? 'general' : e.kind);

/** Pass statistics from per-item greedy verdicts and per-item counts of right samples out of k. */
export function passStats(greedy: readonly boolean[], right: readonly number[], k: number): PassStats {
  const n = greedy.length;
  const wrong = greedy.map((g, i) => (g ? -1 : i)).filter((i) => i >= 0);
  const r4 = (v: number) => +v.toFixed(4);
  return {
    items: n,
    greedy: r4(n ? greedy.filter(Boolean).length / n : 0),
    pass1: r4(n ? right.reduce((a, b) => a + b, 0) / (n * k) : 0),
    passK: r4(n ? right.filter((c) => c > 0).length / n : 0),
    rescue: r4(wrong.length ? wrong.filter((i) => right[i]! > 0).length / wrong.length : 0),
    greedyWrong: wrong.length,
  };
}

/**
 * Each episode with its figure swapped for the figure of another episode of the same task kind and family (a
 * different sample; the gold answer stays the original's). Episodes with no such partner are left out.
 */
export function swapImages(episodes: readonly Episode[], pool: readonly Episode[], r: Rng): Episode[] {
  const by = new Map<string, Episode[]>();
  for (const e of pool) {
    const key = `${groupOf(e)}|${e.family}`;
    (by.get(key) ?? by.set(key, []).get(key)!).push(e);
  }
  return episodes.flatMap((e) => {
    const others = (by.get(`${groupOf(e)}|${e.family}`) ?? []).filter((o) => o.sampleId !== e.sampleId);
    return others.length ? [{ ...e, id: `${e.id}/swapped`, scene: r.pick(others).scene }] : [];
  });
}

export interface DiagnosticsOptions {
  /** Samples per item (the paper's G). */
  k: number;
  greedy: RolloutSettings;
  sampling: RolloutSettings;
  reward: EpisodeRewardOptions;
  seed: number;
}

/** Per episode, how many of `k` sampled rollouts are right (rolled out in chunks, seeded by `r`). */
export async function rightCounts(policy: Policy, tok: Tokenizer, episodes: readonly Episode[], k: number, sampling: RolloutSettings, reward: EpisodeRewardOptions, r: Rng): Promise<number[]> {
  const right = episodes.map(() => 0);
  const repeated = episodes.flatMap((_, i) => Array.from({ length: k }, () => i));
  const chunk = 256;
  for (let s = 0; s < repeated.length; s += chunk) {
    const idx = repeated.slice(s, s + chunk);
    const outs = await runRollouts(policy, tok, idx.map((i) => episodes[i]!), sampling, r.fork(`chunk ${s}`));
    idx.forEach((i, j) => { if (episodeReward(episodes[i]!, outs[j]!, reward).correct) right[i]!++; });
  }
  return right;
}

/** Pass statistics over all episodes and per group (task kind, or general). */
export async function passDiagnostics(policy: Policy, tok: Tokenizer, episodes: readonly Episode[], o: DiagnosticsOptions): Promise<Record<string, PassStats>> {
  if (episodes.length === 0) return {};
  const r = rng(o.seed).fork('diagnostics');
  const greedyOut = await runRollouts(policy, tok, episodes, o.greedy, r.fork('greedy'));
  const greedy = episodes.map((e, i) => episodeReward(e, greedyOut[i]!, o.reward).correct);
  const right = await rightCounts(policy, tok, episodes, o.k, o.sampling, o.reward, r.fork('samples'));
  const groups = [...new Set(episodes.map(groupOf))].sort();
  const pick = (g: string) => episodes.map((e, i) => (groupOf(e) === g ? i : -1)).filter((i) => i >= 0);
  return {
    all: passStats(greedy, right, o.k),
    ...Object.fromEntries(groups.map((g) => [g, passStats(pick(g).map((i) => greedy[i]!), pick(g).map((i) => right[i]!), o.k)])),
  };
}

/** Diagnostics of named sets, each also with swapped images: `<set>` and `<set>_swapped` -> group -> stats. */
export async function diagnoseSets(policy: Policy, tok: Tokenizer, sets: Record<string, { episodes: readonly Episode[]; pool: readonly Episode[] }>, o: DiagnosticsOptions): Promise<Record<string, Record<string, PassStats>>> {
  const out: Record<string, Record<string, PassStats>> = {};
  for (const [name, set] of Object.entries(sets)) {
    out[name] = await passDiagnostics(policy, tok, set.episodes, o);
    out[`${name}_swapped`] = await passDiagnostics(policy, tok, swapImages(set.episodes, set.pool, rng(o.seed).fork(`swap ${name}`)), o);
  }
  return out;
}
