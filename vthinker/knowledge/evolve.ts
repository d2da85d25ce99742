// Knowledge co-evolution: after each round, concept combinations that produced valid samples become composite
// concepts (under their first part, so the tree deepens), tool sequences become composite tools, and near-duplicates
// are merged by Jaccard similarity over path words and tool sets.
import type { Sample } from '../synth/types.ts';
import { concepts, findConcept, insertConcept, PATH_SEPARATOR, splitPath, treeStats, type KnowledgeNode } from './tree.ts';
import { TOOL_NAMES } from './tools.ts';

export interface KnowledgeState {
  tree: KnowledgeNode;
  /** Composite tools: tool sequences seen in valid samples, as lists of base tool names. */
  toolCombos: string[][];
  rounds: RoundRecord[];
}

export interface RoundRecord {
  round: number;
  /** Concept nodes (seed and composite). */
  concepts: number;
  /** Base tools plus composite tools. */
  tools: number;
  nodes: number;
  depth: number;
  domains: number;
  /** Valid samples this round learned from. */
  samples: number;
  added: { concepts: number; tools: number };
  merged: { concepts: number; tools: number };
}

export interface EvolveOptions {
  /** Jaccard similarity at or above which a candidate merges into an existing entry (default 0.8). */
  threshold?: number;
  /** Cap on new composite concepts per round, most frequent first (default 40). */
  maxNewConcepts?: number;
}

export const jaccard = <T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number => {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  const union = a.size + b.size - inter;
  return union === 0 ? 1 : inter / union;
};

const words = (paths: readonly string[]) => new Set(paths.flatMap((p) => splitPath(p).flatMap((n) => n.toLowerCase().split(/\s+/))));

export function initialState(tree: KnowledgeNode): KnowledgeState {
  return { tree: structuredClone(tree), toolCombos: [], rounds: [] };
}

/** One co-evolution round from the valid samples of that round; returns a new state (the input is not changed). */
export function evolveKnowledge(state: KnowledgeState, samples: readonly Sample[], opts: EvolveOptions = {}): KnowledgeState {
  const threshold = opts.threshold ?? 0.8;
  const tree = structuredClone(state.tree);
  const existing = concepts(tree);
  const known = existing.map((c) => ({ path: c.path, words: words(c.combines ?? [c.path]) }));
  // Count concept pairs that co-occurred in a valid sample.
  const pairs = new Map<string, { parts: [string, string]; families: Set<string>; count: number }>();
  for (const s of samples) {
    const ks = [...new Set(s.knowledge)].sort();
    for (let i = 0; i < ks.length; i++) {
      for (let j = i + 1; j < ks.length; j++) {
        const key = `${ks[i]}\u0000${ks[j]}`;
        const e = pairs.get(key) ?? { parts: [ks[i]!, ks[j]!] as [string, string], families: new Set<string>(), count: 0 };
        e.families.add(s.family);
        e.count++;
        pairs.set(key, e);
      }
    }
  }
  const ranked = [...pairs.values()].sort((a, b) => b.count - a.count || (a.parts.join() < b.parts.join() ? -1 : 1));
  let addedConcepts = 0, mergedConcepts = 0;
  for (const p of ranked) {
    if (addedConcepts >= (opts.maxNewConcepts ?? 40)) break;
    const parts = [...new Set(p.parts.flatMap((x) => findConcept(tree, x).combines ?? [x]))].sort();
    const w = words(parts);
    if (known.some((k) => jaccard(k.words, w) >= threshold)) {
      mergedConcepts++;
      continue;
    }
    const [first, second] = p.parts;
    const leafName = splitPath(second).pop()!;
    const path = `${first}${PATH_SEPARATOR}with ${leafName}`;
    insertConcept(tree, path, { families: [...p.families].sort() as never, combines: parts });
    known.push({ path, words: w });
    addedConcepts++;
  }
  // Tool sequences (two or more steps) become composite tools unless one alike is known.
  const combos = state.toolCombos.map((c) => [...c]);
  let addedTools = 0, mergedTools = 0;
  const seqs = [...new Set(samples.map((s) => s.steps.map((st) => st.tool)).filter((t) => t.length >= 2).map((t) => t.join(' > ')))].sort();
  for (const seq of seqs) {
    const list = seq.split(' > ');
    const set = new Set(list);
    if (combos.some((c) => c.join(' > ') === seq || (jaccard(new Set(c), set) >= threshold && c.length === list.length))) {
      mergedTools++;
      continue;
    }
    combos.push(list);
    addedTools++;
  }
  const st = treeStats(tree);
  const record: RoundRecord = {
    round: state.rounds.length + 1, concepts: st.concepts, tools: TOOL_NAMES.length + combos.length, nodes: st.nodes, depth: st.depth,
    domains: st.domains, samples: samples.length, added: { concepts: addedConcepts, tools: addedTools }, merged: { concepts: mergedConcepts, tools: mergedTools },
  };
  return { tree, toolCombos: combos, rounds: [...state.rounds, record] };
}
