// Own-view examples: the cold start's remedy for exposure bias. SFT on gold trajectories teaches the policy to read
// the view of the GOLD construction; at inference the view is whatever the policy drew, and on most geometric
// families that is wrong (VTBench IGI 0% in eight of them), so a reader trained only on gold views answers from a
// misleading picture. Part way through the cold start, the policy rolls out a seeded set of reasoning training
// questions greedily up to its first sandbox output (its own thought and code, then its own view or the sandbox's
// error), and each becomes an example that supervises only the gold conclusion and answer after that output. The
// policy's own code is never a target (it may be wrong): what it learns is to answer right from the views it really
// produces, reading the original where its drawing misleads. This is DAgger's idea (train on the states the policy
// visits, labelled by the expert), done once.
import type { Policy } from '../model/policy.ts';
import { computeReward } from '../policy/reward.ts';
import { buildTrajectory } from '../policy/trajectory.ts';
import type { Tokenizer } from '../policy/tokenizer.ts';
import { createSandbox, extractCode } from '../sandbox/index.ts';
import { toModelInput, type RasterImage } from '../scene/render.ts';
import { rng } from '../util/random.ts';
import type { SftDataset } from './data.ts';
import type { Episode } from './episode.ts';
import { originalImage, visibleCounts, type TrainingExample } from './examples.ts';
import { runRollouts } from './rollouts.ts';

export interface OwnViewParams {
  /** The step at which the policy rolls the questions out (0: off); the cold start then trains on both kinds. */
  from_step: number;
  /** Reasoning training questions rolled out (a seeded draw). */
  samples: number;
  /** Copies of each own-view example in the training mix from `from_step` on (as `mix` counts gold ones). */
  copies: number;
}

/** One rollout's first round: the prompt and what the policy wrote, through its first </sandbox_output>. */
export interface OwnViewRecord {
  episode: string;
  ids: number[];
}

export interface OwnViewSet {
  step: number;
  records: OwnViewRecord[];
  /** How the questions went: rolled out, with a call that drew, with a failed call, without any call. */
  stats: { questions: number; drew: number; failed: number; no_call: number; answer_accuracy: number };
}

export function ownViewsEnabled(p: OwnViewParams | undefined, steps: number): p is OwnViewParams {
  if (!p || p.from_step === 0) return false;
  if (!Number.isInteger(p.from_step) || p.from_step < 0 || p.from_step >= steps) {
    throw new Error(`own_views.from_step must be 0 (off) or an integer step below steps (${steps}), got ${p.from_step}`);
  }
  for (const k of ['samples', 'copies'] as const) {
    if (!Number.isInteger(p[k]) || p[k] < 1) throw new Error(`own_views.${k} must be a positive integer, got ${p[k]}`);
  }
  return true;
}

/** The reasoning episodes to roll out: a seeded draw of `count` whose gold trajectory fits the policy's window. */
export function ownViewEpisodes(tok: Tokenizer, episodes: readonly Episode[], count: number, seed: number, maxSeq: number): Episode[] {
  const reasoning = episodes.filter((e) => e.kind === 'reasoning' && buildTrajectory(tok, e.spec).ids.length <= maxSeq);
  return rng(seed).fork('own views').shuffle([...reasoning]).slice(0, count);
}

/**
 * Greedy rollouts of `episodes` (two rounds: the call, then whatever the policy concludes from its view, which gives
 * `answer_accuracy`, the policy's own-view accuracy before it trains on them). Records keep the first round.
 */
export async function collectOwnViews(policy: Policy, tok: Tokenizer, episodes: readonly Episode[], step: number, batchSize = 64): Promise<OwnViewSet> {
  const records: OwnViewRecord[] = [];
  let drew = 0, failed = 0, correct = 0;
  const r = rng(0).fork('own views');
  for (let i = 0; i < episodes.length; i += batchSize) {
    const batch = episodes.slice(i, i + batchSize);
    const rollouts = await runRollouts(policy, tok, batch, { maxRounds: 2, temperature: 0 }, r);
    rollouts.forEach((ro, j) => {
      const e = batch[j]!;
      if (computeReward({ response: ro.text, gold: e.gold.answer, reference: e.gold.reference }).correct) correct++;
      const end = ro.ids.indexOf(tok.ids.sandboxEnd, ro.promptLength);
      if (end < 0) return;
      if (ro.calls[0]?.ok) drew++;
      else failed++;
      records.push({ episode: e.id, ids: ro.ids.slice(0, end + 1) });
    });
  }
  const questions = episodes.length;
  return { step, records, stats: { questions, drew, failed, no_call: questions - drew - failed, answer_accuracy: questions ? correct / questions : 0 } };
}

/** The images a record's calls produce, replayed in a fresh sandbox: the original, then each successful call's view. */
export function replayViews(tok: Tokenizer, episode: Episode, ids: readonly number[], maxCalls: number): RasterImage[] {
  const original = originalImage(episode.scene);
  const sandbox = createSandbox({ id: episode.id, image: original, sceneSize: episode.scene, limits: { maxCalls } });
  const views = [original];
  let open = -1;
  ids.forEach((id, i) => {
    if (id === tok.ids.code) open = i;
    if (id !== tok.ids.codeEnd || open < 0) return;
    const result = sandbox.execute(extractCode(tok.decode(ids.slice(open, i + 1))) ?? '');
    if (result.ok) views.push(result.image);
    open = -1;
  });
  const slots = ids.filter((id) => id === tok.ids.image).length;
  if (slots !== views.length) throw new Error(`own view of ${episode.id}: ${slots} <image> tokens but ${views.length} images replayed`);
  return views;
}

/** The example of a record: its ids, then the gold trajectory's tail (conclusion, answer, <eos>), only the tail supervised. */
export function ownViewExample(
  tok: Tokenizer, episode: Episode, record: OwnViewRecord, side: number, maxImages: number, tail = goldTail(tok, episode),
): TrainingExample {
  const tokens = [...record.ids, ...tail];
  return {
    tokens,
    lossMask: tokens.map((_, i) => (i >= record.ids.length ? 1 : 0)),
    visible: visibleCounts(tok, tokens),
    images: replayViews(tok, episode, record.ids, maxImages - 1).map((v) => toModelInput(v, side)),
    unknown: [],
  };
}

/** A dataset of the gold examples followed by `copies` of every own-view example (built when asked, as the gold ones). */
export function withOwnViews(
  gold: SftDataset, tok: Tokenizer, episodes: readonly Episode[], set: OwnViewSet, copies: number, side: number, maxImages: number, maxSeq: number,
): SftDataset & { ownViews: number } {
  const byId = new Map(episodes.map((e) => [e.id, e]));
  // A record that leaves too little room for the gold tail (a long first round) is left out. The tail is tokenised
  // once here, not on every draw of the example.
  const own = set.records.flatMap((r) => {
    const episode = byId.get(r.episode);
    if (!episode) throw new Error(`own view of ${r.episode}: no such training episode (the record belongs to other data)`);
    const tail = goldTail(tok, episode);
    return r.ids.length + tail.length <= maxSeq ? [{ r, episode, tail }] : [];
  });
  const n = own.length * copies;
  return {
    length: gold.length + n,
    ownViews: own.length,
    get: (i) => {
      if (i < gold.length) return gold.get(i);
      const { r, episode, tail } = own[(i - gold.length) % own.length]!;
      return ownViewExample(tok, episode, r, side, maxImages, tail);
    },
    lengthOf: (i) => {
      if (i < gold.length) return gold.lengthOf(i);
      const { r, tail } = own[(i - gold.length) % own.length]!;
      return r.ids.length + tail.length;
    },
  };
}

/** The gold trajectory's tokens after its last sandbox output: the conclusion, the answer and <eos>. */
function goldTail(tok: Tokenizer, episode: Episode): number[] {
  const gold = buildTrajectory(tok, episode.spec).ids;
  return gold.slice(gold.lastIndexOf(tok.ids.sandboxEnd) + 1);
}
