// Bulk synthesis: a seeded dataset with families in round-robin and answers cycled within each family (exact
// balance), built from the three directions of the flywheel in turn: family, concept combination, tool combination.
import { conceptsForFamily, type KnowledgeNode, buildTree } from '../knowledge/tree.ts';
import { rng as makeRng } from '../util/random.ts';
import { createSample, sampleRng, type CreateSpec } from './create.ts';
import { FAMILIES, FAMILY_IDS, familyOf } from './families/index.ts';
import type { Sample } from './types.ts';

export type Direction = 'family' | 'concepts' | 'tools';

export interface SynthesizeOptions {
  seed: number;
  count: number;
  /** Families to draw from (default: all). */
  families?: string[];
  /** Directions to rotate through (default: all three). */
  directions?: Direction[];
  width?: number;
  knowledge?: KnowledgeNode;
}

export interface SynthesizeResult {
  samples: Sample[];
  /** Family -> samples produced. */
  counts: Record<string, number>;
  /** Direction -> samples produced. */
  directions: Record<Direction, number>;
}

export function synthesize(opts: SynthesizeOptions): SynthesizeResult {
  if (!Number.isInteger(opts.count) || opts.count < 0) throw new Error(`synthesize: count must be a non-negative integer, got ${opts.count}`);
  if (!Number.isFinite(opts.seed)) throw new Error(`synthesize: seed must be a number, got ${opts.seed}`);
  const families = (opts.families ?? FAMILY_IDS).map((f) => familyOf(f).id);
  if (!families.length) throw new Error('synthesize: the family list is empty');
  const directions = opts.directions ?? ['family', 'concepts', 'tools'];
  const tree = opts.knowledge ?? buildTree();
  const order = makeRng(opts.seed).fork('answer order');
  // Per family, a shuffled answer cycle: every answer appears equally often (up to one) whatever the count.
  const cycles = new Map(families.map((f) => [f, order.shuffle(FAMILIES[f].answers)]));
  const seen: Record<string, number> = {};
  const byDirection: Record<Direction, number> = { family: 0, concepts: 0, tools: 0 };
  const samples: Sample[] = [];
  for (let i = 0; i < opts.count; i++) {
    const family = families[i % families.length]!;
    const k = seen[family] ?? 0;
    seen[family] = k + 1;
    const cycle = cycles.get(family)!;
    const direction = directions[Math.floor(i / families.length) % directions.length]!;
    const r = sampleRng(opts.seed, i);
    const spec: CreateSpec = { family, target: cycle[k % cycle.length], width: opts.width, knowledge: tree };
    if (direction === 'concepts') {
      // Concept -> data: one or two concepts of this family, whose tools the sample then predicts.
      const paths = r.fork('concepts').shuffle(conceptsForFamily(tree, family as never));
      spec.concepts = paths.slice(0, Math.min(paths.length, 1 + (r.fork('n').bool() ? 1 : 0)));
    } else if (direction === 'tools') {
      // Tools -> data: the family's tool set, whose knowledge paths the sample then predicts.
      spec.tools = [...FAMILIES[family as keyof typeof FAMILIES].tools];
    }
    samples.push(createSample(spec, r));
    byDirection[direction]++;
  }
  return { samples, counts: seen, directions: byDirection };
}
