// Looking at rollouts: a JSON record per rollout (text, calls, reward terms) for notebooks, and a contact sheet
// with one row per rollout: the original, then every view the sandbox returned, captioned with the outcome.
import { contactSheet } from '../scene/contact.ts';
import { encodePng } from '../scene/render.ts';
import type { Rollout } from '../policy/rollout.ts';
import type { Episode } from './episode.ts';
import type { Evaluation } from './evaluate.ts';
import type { EpisodeReward } from './reward.ts';

export interface RolloutRecord {
  id: string;
  kind: Episode['kind'];
  domain: string;
  family: string;
  question: string;
  gold: string;
  text: string;
  rounds: number;
  stop: Rollout['stop'];
  calls: { code: string; ok: boolean; message?: string }[];
  reward: Omit<EpisodeReward, 'kind'>;
}

export function rolloutRecords(episodes: readonly Episode[], e: Evaluation): RolloutRecord[] {
  return episodes.map((ep, i) => {
    const r = e.rollouts[i]!;
    const { kind: _k, ...reward } = e.rewards[i]!;
    return {
      id: ep.id, kind: ep.kind, domain: ep.domain, family: ep.family, question: ep.spec.question, gold: ep.gold.answer,
      text: r.text, rounds: r.rounds, stop: r.stop,
      calls: r.calls.map((c) => ({ code: c.code, ok: c.ok, ...(c.message ? { message: c.message } : {}) })),
      reward,
    };
  });
}

/** Rows of (original | view 1 | view 2 ...) for the first `perKind` rollouts of each kind. PNG bytes. */
export function rolloutSheet(episodes: readonly Episode[], rollouts: readonly Rollout[], rewards: readonly EpisodeReward[], perKind = 4): Buffer {
  const rows: Rollout['images'][] = [], captions: string[][] = [], labels: string[] = [];
  const shown: Record<string, number> = {};
  episodes.forEach((ep, i) => {
    if ((shown[ep.kind] = (shown[ep.kind] ?? 0) + 1) > perKind) return;
    const r = rollouts[i]!, w = rewards[i]!;
    rows.push(r.images);
    const calls = r.calls.filter((c) => c.ok);
    captions.push(r.images.map((_, k) => (k === 0 ? `${w.correct ? 'right' : 'wrong'} r=${w.total.toFixed(1)}` : (calls[k - 1]?.code ?? '').slice(0, 22))));
    labels.push(`${ep.kind}: ${ep.spec.question.slice(0, 34)}`);
  });
  return encodePng(contactSheet(rows, { captions, rowLabels: labels, cell: 128 }));
}
