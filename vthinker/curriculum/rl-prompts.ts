// The RL prompt set rl-data writes and rl2 / rft read: flywheel episodes by sample and task (resolved against RL's
// share of the samples) and general questions carried whole, each with its screening count.
import type { GeneralItem } from '../general/data.ts';
import { generalEpisode } from '../general/data.ts';
import type { Sample } from '../synth/types.ts';
import { episodeOf, type Episode, type TaskKind } from './episode.ts';

export type RlPrompt =
  | { source: 'flywheel'; id: string; sampleId: string; task: TaskKind; right: number; kept: boolean }
  | { source: 'general'; id: string; item: GeneralItem; right: number; kept: boolean };

/** The kept prompts as episodes, in file order; throws when a flywheel prompt's sample is missing. */
export function keptEpisodes(prompts: readonly RlPrompt[], samples: readonly Sample[]): Episode[] {
  const byId = new Map(samples.map((s) => [s.id, s]));
  return prompts.filter((p) => p.kept).map((p) => {
    if (p.source === 'general') return generalEpisode(p.item);
    const s = byId.get(p.sampleId);
    if (!s) throw new Error(`RL prompt ${p.id}: sample ${p.sampleId} is not in RL's share of the data; re-run rl-data on the same curriculum-data`);
    return episodeOf(s, p.task);
  });
}
