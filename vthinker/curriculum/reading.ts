// Reading with the gold construction: a reasoning episode is replayed with its ground-truth trajectory up to the
// end of the last sandbox output (the gold code, and the very view the sandbox returns for it), and the policy
// writes only the rest (what it sees, then the answer). This isolates the step after the tool call: a policy that
// scores at the answer prior here cannot read the edited image, whatever it draws; one that scores well here but
// not in free rollouts draws the wrong thing. Direct-answer episodes (no call) read the original figure instead.
import type { Policy } from '../model/policy.ts';
import { computeReward } from '../policy/reward.ts';
import { buildTrajectory, type BuiltTrajectory } from '../policy/trajectory.ts';
import type { Tokenizer } from '../policy/tokenizer.ts';
import { toModelInput } from '../scene/render.ts';
import { rng } from '../util/random.ts';
import type { Episode } from './episode.ts';
import { episodeViews, visibleCounts } from './examples.ts';

export interface ReadingResult {
  /** Reasoning episodes scored. */
  count: number;
  /** Reasoning episodes left out: their gold trajectory does not fit the policy's window or image count. */
  skipped: number;
  /** Share answered correctly from the gold view. */
  accuracy: number;
  /** Per question family: [correct, count]. */
  families: Record<string, [number, number]>;
}

/** The gold prefix of a reasoning episode: its ids through the last </sandbox_output> (the prompt when it has no call). */
export function goldReadingPrefix(tok: Tokenizer, episode: Episode): number[] {
  return prefixOf(tok, buildTrajectory(tok, episode.spec));
}

function prefixOf(tok: Tokenizer, t: BuiltTrajectory): number[] {
  const last = t.ids.lastIndexOf(tok.ids.sandboxEnd);
  return t.ids.slice(0, last >= 0 ? last + 1 : t.promptLength);
}

/** Greedy answers from the gold view for every reasoning episode of `episodes` (others are skipped). */
export function goldViewReading(policy: Policy, tok: Tokenizer, episodes: readonly Episode[], batchSize = 64): ReadingResult {
  const side = policy.config.imageSide;
  const all = episodes.filter((e) => e.kind === 'reasoning').map((e) => ({ e, t: buildTrajectory(tok, e.spec) }));
  const reasoning = all.filter(({ e, t }) => t.ids.length <= policy.config.maxSeq && 1 + e.spec.calls.length <= policy.config.maxImages);
  const families: Record<string, [number, number]> = {};
  let correct = 0;
  for (let i = 0; i < reasoning.length; i += batchSize) {
    const batch = reasoning.slice(i, i + batchSize);
    const prefixes = batch.map(({ t }) => prefixOf(tok, t));
    // Up to the window (generate stops there): a direct answer writes its whole solution before the answer.
    const gen = policy.generate(prefixes.map((ids, j) => ({
      tokens: ids, visible: visibleCounts(tok, ids), images: episodeViews(batch[j]!.e).map((v) => toModelInput(v, side)),
    })), { maxTokens: policy.config.maxSeq, temperature: 0, stopTokens: [tok.ids.eos] }, rng(0));
    batch.forEach(({ e, t }, j) => {
      const response = tok.decode([...prefixes[j]!.slice(t.promptLength), ...gen.tokens[j]!]);
      const ok = computeReward({ response, gold: e.gold.answer, reference: e.gold.reference }).correct;
      const f = (families[e.family] ??= [0, 0]);
      f[0] += ok ? 1 : 0;
      f[1]++;
      correct += ok ? 1 : 0;
    });
  }
  return { count: reasoning.length, skipped: all.length - reasoning.length, accuracy: reasoning.length ? correct / reasoning.length : 0, families };
}

/**
 * The answer prior a reader must beat: the share of `episodes`' reasoning questions answered right by the most common
 * answer of their family among `reference` (the training episodes).
 */
export function familyMajority(reference: readonly Episode[], episodes: readonly Episode[]): number {
  const counts = new Map<string, Map<string, number>>();
  for (const e of reference) {
    if (e.kind !== 'reasoning') continue;
    const m = counts.get(e.family) ?? counts.set(e.family, new Map()).get(e.family)!;
    m.set(e.gold.answer, (m.get(e.gold.answer) ?? 0) + 1);
  }
  const best = (f: string) => [...(counts.get(f) ?? [])].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  const reasoning = episodes.filter((e) => e.kind === 'reasoning');
  return reasoning.length ? reasoning.filter((e) => best(e.family) === e.gold.answer).length / reasoning.length : 0;
}
