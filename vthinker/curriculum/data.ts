// The curriculum's data: episodes from the flywheel's verified training samples, a seeded evaluation split of
// them (the benchmark uses the separate held-out pool), and the lazy SFT dataset pretrain and rl1 train on.
import { buildTrajectory, type MaskOptions } from '../policy/trajectory.ts';
import type { Tokenizer } from '../policy/tokenizer.ts';
import type { Sample } from '../synth/types.ts';
import { rng } from '../util/random.ts';
import { episodeOf, TASK_KINDS, usableEpisode, type Episode, type EpisodeOptions, type TaskKind } from './episode.ts';
import { trainingExample, type TrainingExample } from './examples.ts';
import { generalEpisode, type GeneralItem } from '../general/data.ts';

/** How many copies of each task kind's episodes the training mix holds (0 leaves a kind out). */
export type TaskMix = Record<TaskKind, number>;

export function checkMix(mix: Partial<TaskMix>, where: string): TaskMix {
  const out = {} as TaskMix;
  for (const kind of TASK_KINDS) {
    const v = mix[kind] ?? 0;
    if (!Number.isInteger(v) || v < 0) throw new Error(`${where}: mix.${kind} must be a non-negative integer (copies per sample), got ${v}`);
    out[kind] = v;
  }
  if (TASK_KINDS.every((k) => out[k] === 0)) throw new Error(`${where}: the task mix is empty; give at least one of ${TASK_KINDS.join(', ')} a count`);
  return out;
}

/** Every usable episode of the samples for the kinds in the mix (once each), in sample order. */
export function episodesOf(samples: readonly Sample[], kinds: readonly TaskKind[], options: EpisodeOptions = {}): Episode[] {
  return samples.flatMap((s) => kinds.filter((k) => usableEpisode(s, k)).map((k) => episodeOf(s, k, options)));
}

/** A seeded split of samples: `count` for evaluation, the rest for training (whole samples, so no leak across kinds). */
export function splitSamples<T>(samples: readonly T[], count: number, seed: number, name: string): { train: T[]; val: T[] } {
  const k = Math.max(0, Math.min(count, samples.length - 1));
  const order = rng(seed).fork(`${name} split`).shuffle(samples.map((_, i) => i));
  const val = new Set(order.slice(0, k));
  return { train: samples.filter((_, i) => !val.has(i)), val: samples.filter((_, i) => val.has(i)) };
}

/**
 * Evaluation episodes: the same number of each kind in the mix, drawn in a seeded order. `options` shape only their
 * gold trajectories (a rollout reads just the question and the figure), never which episodes are drawn.
 */
export function evalEpisodes(samples: readonly Sample[], mix: TaskMix, perKind: number, seed: number, options: EpisodeOptions = {}): Episode[] {
  const r = rng(seed).fork('eval episodes');
  return TASK_KINDS.filter((k) => mix[k] > 0).flatMap((k) => r.shuffle(episodesOf(samples, [k], options)).slice(0, perKind));
}

/**
 * The SFT dataset: each kind's episodes repeated mix[kind] times; examples (with their sandbox-rendered views)
 * are built when asked, so a large mix never sits rendered in memory.
 */
export function sftDataset(
  tok: Tokenizer, samples: readonly Sample[], mix: TaskMix, side: number,
  options: EpisodeOptions & MaskOptions & { maxLength?: number; extra?: { episodes: readonly Episode[]; copies: number } } = {},
): SftDataset & { kinds: Record<TaskKind | 'general', number>; dropped: number } {
  const index: Episode[] = [];
  const kinds = { reasoning: 0, instruction: 0, perception: 0, general: 0 };
  let dropped = 0;
  // Token counts, for the window and for length buckets (vthinker/train/sft.ts): tokenised once per episode.
  const lengths = new Map<Episode, number>();
  const lengthOf = (e: Episode) => lengths.get(e) ?? lengths.set(e, buildTrajectory(tok, e.spec).ids.length).get(e)!;
  // Episodes longer than the policy's window are left out and counted (a handful of 3-step trajectories).
  const fits = (e: Episode) => options.maxLength === undefined || lengthOf(e) <= options.maxLength || (dropped++, false);
  for (const kind of TASK_KINDS) {
    if (mix[kind] === 0) continue;
    const eps = episodesOf(samples, [kind], options).filter(fits);
    for (let c = 0; c < mix[kind]; c++) index.push(...eps);
    kinds[kind] = eps.length * mix[kind];
  }
  // Episodes built elsewhere (pretraining's general questions), `copies` times each.
  if (options.extra) {
    const eps = options.extra.episodes.filter(fits);
    for (let c = 0; c < options.extra.copies; c++) index.push(...eps);
    kinds.general = eps.length * options.extra.copies;
  }
  return {
    length: index.length, kinds, dropped,
    get: (i) => trainingExample(tok, index[i]!, side, options),
    lengthOf: (i) => lengthOf(index[i]!),
  };
}

/** A lazy training set that knows each example's token count without building it. */
export interface SftDataset {
  readonly length: number;
  get(index: number): TrainingExample;
  lengthOf(index: number): number;
}

/** The validation share as held-out episodes: each sample's flywheel tasks, then the general questions. */
export function heldoutEpisodes(samples: readonly Sample[], general: readonly GeneralItem[]): Episode[] {
  return [...episodesOf(samples, TASK_KINDS), ...general.map(generalEpisode)];
}
