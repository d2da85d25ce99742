// The curriculum's data sets, split once upstream of every training stage:
//  - the flywheel's verified training pool, split by figure lineage (a sample's `seed`, which its evolved variants
//    keep) into the cold start's share (`sft`: pretraining's direct answers and rl1's trajectories), RL's own share
//    (`rl`: the hard-set analogue, never seen by an SFT stage) and a validation share (`val`: where RL settings are
//    decided, never on a benchmark);
//  - general visual questions (questions.ts) on those figures: pretraining's on `sft`, RL's on `rl` (the We-Math /
//    MMK12 analogue), validation's on `val`, and the general benchmark's on the held-out pool that VTBench also draws
//    from (figures no training set has). A seeded share of the (question family x figure family) combinations is
//    kept out of pretraining and RL altogether: the benchmark's `heldoutCombo` items ask a known kind of question
//    about a kind of figure it was never asked of, the compositional shift of MathVision / We-Math.
import type { Episode } from '../curriculum/episode.ts';
import type { Sample } from '../synth/types.ts';
import { rng } from '../util/random.ts';
import { GENERAL_FAMILIES, generalQuestions, type GeneralFamily } from './questions.ts';

export interface GeneralItem {
  /** `<sample id>/general/<family>`: unique per set. */
  id: string;
  sampleId: string;
  domain: string;
  /** The figure's flywheel family. */
  figureFamily: string;
  family: GeneralFamily;
  question: string;
  answer: string;
  thought: string;
  /** The (question family, figure family) combination is kept out of every training set. */
  heldoutCombo: boolean;
  scene: Sample['scene'];
}

export const comboOf = (family: string, figureFamily: string): string => `${family}|${figureFamily}`;

/** Splits samples by lineage into shares; each share holds whole lineages. */
export function splitByLineage(samples: readonly Sample[], shares: { rl: number; val: number }, seed: number): { sft: Sample[]; rl: Sample[]; val: Sample[] } {
  for (const [k, v] of Object.entries(shares)) {
    if (!(v >= 0 && v < 1)) throw new Error(`curriculum_data.${k}_share must be in [0, 1), got ${v}`);
  }
  if (shares.rl + shares.val >= 1) throw new Error(`curriculum_data: rl_share + val_share must leave a share for SFT (got ${shares.rl} + ${shares.val})`);
  const lineages = [...new Set(samples.map((s) => s.seed))].sort((a, b) => a - b);
  const order = rng(seed).fork('lineage split').shuffle(lineages);
  const nRl = Math.round(order.length * shares.rl), nVal = Math.round(order.length * shares.val);
  const rlSet = new Set(order.slice(0, nRl)), valSet = new Set(order.slice(nRl, nRl + nVal));
  return {
    sft: samples.filter((s) => !rlSet.has(s.seed) && !valSet.has(s.seed)),
    rl: samples.filter((s) => rlSet.has(s.seed)),
    val: samples.filter((s) => valSet.has(s.seed)),
  };
}

/**
 * The combinations held out of training: a seeded `fraction` of those the samples support, never every combination
 * of one question family (a family nothing teaches would measure nothing pretraining gives).
 */
export function heldOutCombos(samples: readonly Sample[], fraction: number, seed: number): Set<string> {
  const supported = new Map<GeneralFamily, Set<string>>();
  for (const s of samples) {
    for (const q of generalQuestions(s.scene, rng(seed).fork(`combos ${s.id}`))) {
      (supported.get(q.family) ?? supported.set(q.family, new Set()).get(q.family)!).add(s.family);
    }
  }
  const r = rng(seed).fork('general combos');
  const held = new Set<string>();
  for (const family of GENERAL_FAMILIES) {
    const figures = [...(supported.get(family) ?? [])].sort();
    const k = Math.min(figures.length - 1, Math.round(figures.length * fraction));
    for (const f of r.shuffle(figures).slice(0, Math.max(0, k))) held.add(comboOf(family, f));
  }
  return held;
}

export interface GeneralSetOptions {
  seed: number;
  /** A name for the set's random stream (sets drawn from the same figures stay independent). */
  name: string;
  /** Questions per figure at most (families drawn without repeats). */
  perFigure: number;
  held: ReadonlySet<string>;
  /** true: only combinations outside `held` (training sets); false: all, flagged (validation and benchmark). */
  trainOnly: boolean;
  /** Cap on the set's size (a seeded choice of figures); absent: every figure. */
  limit?: number;
}

/** General questions about the samples' figures, in a seeded order. */
export function generalItems(samples: readonly Sample[], o: GeneralSetOptions): GeneralItem[] {
  const r = rng(o.seed).fork(`general ${o.name}`);
  const out: GeneralItem[] = [];
  for (const s of r.shuffle(samples)) {
    if (o.limit !== undefined && out.length >= o.limit) break;
    const qs = generalQuestions(s.scene, r.fork(s.id))
      .map((q) => ({ ...q, heldoutCombo: o.held.has(comboOf(q.family, s.family)) }))
      .filter((q) => !(o.trainOnly && q.heldoutCombo));
    // Held-out combinations are rarer; the benchmark asks them first, so about half its items are compositional.
    const ordered = [...r.shuffle(qs.filter((q) => q.heldoutCombo)), ...r.shuffle(qs.filter((q) => !q.heldoutCombo))];
    const picked = o.trainOnly ? r.shuffle(qs).slice(0, o.perFigure) : interleave(ordered, r).slice(0, o.perFigure);
    for (const q of picked) {
      if (o.limit !== undefined && out.length >= o.limit) break;
      out.push({ id: `${s.id}/general/${q.family}`, sampleId: s.id, domain: s.domain, figureFamily: s.family, scene: s.scene, ...q });
    }
  }
  return out;
}

/** Held-out combinations first with probability 1/2 per figure, so the benchmark mixes both kinds. */
function interleave<T extends { heldoutCombo: boolean }>(ordered: T[], r: ReturnType<typeof rng>): T[] {
  return r.bool(0.5) ? ordered : [...ordered.filter((q) => !q.heldoutCombo), ...ordered.filter((q) => q.heldoutCombo)];
}

/** A general item as an episode: the direct-answer trajectory (no call), judged by its answer like a reasoning one. */
export function generalEpisode(item: GeneralItem): Episode {
  const spec = { question: item.question, calls: [], conclusion: item.thought, answer: item.answer };
  return {
    id: item.id, sampleId: item.sampleId, kind: 'reasoning', source: 'general', domain: item.domain, family: item.family,
    scene: item.scene, spec, gold: { answer: item.answer, reference: item.thought },
  };
}
