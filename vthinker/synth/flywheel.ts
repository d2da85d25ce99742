// The data evolution flywheel end to end (library form; the pipeline stage calls it with its params): each round
// synthesizes from the current knowledge tree, expands the difficulty of a share of samples, verifies and repairs,
// then co-evolves the knowledge from the accepted samples.
import { evolveKnowledge, initialState, type EvolveOptions, type KnowledgeState } from '../knowledge/evolve.ts';
import { buildTree, type KnowledgeNode } from '../knowledge/tree.ts';
import { rng as makeRng } from '../util/random.ts';
import { verifySamples, type VerifyOptions, type VerifyStats } from '../verify/repair.ts';
import { extend, type ExtensionMode } from './extend.ts';
import { familyOf } from './families/index.ts';
import { synthesize } from './synthesize.ts';
import type { Sample } from './types.ts';

export interface FlywheelOptions {
  seed: number;
  rounds: number;
  perRound: number;
  /** Share of extensible samples given one more construction step (and of those, again for depth 3). */
  extendShare?: number;
  families?: string[];
  knowledge?: KnowledgeNode;
  evolve?: EvolveOptions;
  verify?: VerifyOptions;
}

export interface FlywheelResult {
  samples: Sample[];
  state: KnowledgeState;
  verify: VerifyStats[];
  extended: { parallel: number; sequential: number; failed: number };
}

export function runFlywheel(opts: FlywheelOptions): FlywheelResult {
  let state = initialState(opts.knowledge ?? buildTree());
  const all: Sample[] = [];
  const verify: VerifyStats[] = [];
  const extended = { parallel: 0, sequential: 0, failed: 0 };
  const share = opts.extendShare ?? 0.3;
  for (let round = 0; round < opts.rounds; round++) {
    const seed = (opts.seed * 1000 + round) >>> 0;
    const { samples } = synthesize({ seed, count: opts.perRound, families: opts.families, knowledge: state.tree });
    const r = makeRng(seed).fork('extend');
    const grown = samples.map((s, i) => {
      if (familyOf(s.family).subject === undefined || !r.bool(share)) return s;
      const first: ExtensionMode = r.bool() ? 'parallel' : 'sequential';
      try {
        let e = extend(s, first, r.fork(`e${i}`));
        extended[first]++;
        if (r.bool(share)) {
          e = extend(e, 'sequential', r.fork(`s${i}`));
          extended.sequential++;
        }
        return e;
      } catch {
        extended.failed++;
        return s;
      }
    });
    const v = verifySamples(grown, opts.verify);
    verify.push(v.stats);
    all.push(...v.accepted);
    state = evolveKnowledge(state, v.accepted, opts.evolve);
  }
  return { samples: all, state, verify, extended };
}
