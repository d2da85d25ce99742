// The data evolution flywheel's later rounds (the `evolve` stage): starting from round 0 (the `synthesize` stage's
// samples and the seed knowledge), each round checks the previous round's samples, co-evolves the knowledge from
// the valid ones, synthesizes a new round from the grown knowledge system, and expands the difficulty of a share
// of it (parallel or sequential extension, up to depth 3).
import { evolveKnowledge, initialState, type EvolveOptions, type KnowledgeState, type RoundRecord } from '../knowledge/evolve.ts';
import type { KnowledgeNode } from '../knowledge/tree.ts';
import { rng as makeRng } from '../util/random.ts';
import { verifySamples, type VerifyOptions } from '../verify/repair.ts';
import { injectCreatorErrors, type CreatorError } from './creator-errors.ts';
import { extend, type ExtensionMode } from './extend.ts';
import { familyOf } from './families/index.ts';
import { synthesize } from './synthesize.ts';
import type { Sample } from './types.ts';

export interface FlywheelOptions {
  seed: number;
  /** Evolution rounds after round 0. */
  rounds: number;
  perRound: number;
  /** Share of extensible samples given one more construction step (and of those, again for depth 3). */
  extendShare?: number;
  width?: number;
  /** Share of each new round's samples given a simulated creator mistake (see creator-errors.ts). */
  creatorErrorRate?: number;
  evolve?: EvolveOptions;
  /** The quality gate that decides which samples the knowledge learns from. */
  verify?: VerifyOptions;
  onRound?: (round: number, rounds: number) => void | Promise<void>;
}

export interface ExtensionCounts {
  parallel: number;
  sequential: number;
  failed: number;
}

export interface FlywheelResult {
  /** Every round's samples (round 0 first), each tagged with its round in `id`. */
  samples: Sample[];
  state: KnowledgeState;
  extended: ExtensionCounts;
  /** Sample id -> the creator mistake planted in it (new rounds only). */
  planted: Record<string, CreatorError>;
}

/** Adds one (sometimes two) construction steps to a share of the extensible samples. */
export function expandDifficulty(samples: readonly Sample[], share: number, seed: number, counts: ExtensionCounts): Sample[] {
  const r = makeRng(seed).fork('extend');
  return samples.map((s, i) => {
    if (familyOf(s.family).subject === undefined || !r.bool(share)) return s;
    const first: ExtensionMode = r.bool() ? 'parallel' : 'sequential';
    try {
      let e = extend(s, first, r.fork(`e${i}`));
      counts[first]++;
      if (r.bool(share)) {
        e = extend(e, 'sequential', r.fork(`s${i}`));
        counts.sequential++;
      }
      return e;
    } catch {
      counts.failed++;
      return s;
    }
  });
}

export async function runFlywheel(initial: readonly Sample[], knowledge: KnowledgeNode, opts: FlywheelOptions): Promise<FlywheelResult> {
  let state = initialState(knowledge);
  const all: Sample[] = [...initial];
  const extended: ExtensionCounts = { parallel: 0, sequential: 0, failed: 0 };
  const planted: Record<string, CreatorError> = {};
  let previous: readonly Sample[] = initial;
  for (let round = 1; round <= opts.rounds; round++) {
    state = evolveKnowledge(state, verifySamples(previous, opts.verify).accepted, opts.evolve);
    const seed = (opts.seed * 1000 + round) >>> 0;
    const fresh = synthesize({ seed, count: opts.perRound, knowledge: state.tree, ...(opts.width ? { width: opts.width } : {}) }).samples;
    const expanded = expandDifficulty(fresh, opts.extendShare ?? 0.3, seed, extended).map((s) => ({ ...s, id: `r${round}-${s.id}` }));
    const noisy = injectCreatorErrors(expanded, opts.creatorErrorRate ?? 0, makeRng(seed).fork('creator errors'));
    Object.assign(planted, noisy.planted);
    const grown = noisy.samples;
    all.push(...grown);
    previous = grown;
    await opts.onRound?.(round, opts.rounds);
  }
  state = evolveKnowledge(state, verifySamples(previous, opts.verify).accepted, opts.evolve);
  return { samples: all, state, extended, planted };
}

export type { RoundRecord };
