// Knowledge co-evolution: after each round, concept combinations that produced valid samples become composite
// concepts (under their first part, so the tree deepens), tool sequences become composite tools, and near-duplicates
// are merged by Jaccard similarity over the base concepts they combine and over tool sets.
// Why base concepts and not path words: concepts of one topic share most path words ("Geometry", "Plane",
// "Triangle"), so word similarity merged every deeper combination of a topic and growth stopped after two rounds.
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

/** The base concepts a concept stands for: itself, or for a composite the seed concepts it combines. */
const baseSet = (parts: readonly string[]) => new Set(parts);

export function initialState(tree: KnowledgeNode): KnowledgeState {
  return { tree: structuredClone(tree), toolCombos: [], rounds: [] };
}

/** One co-evolution round from the valid samples of that round; returns a new state (the input is not changed). */
export function evolveKnowledge(state: KnowledgeState, samples: readonly Sample[], opts: EvolveOptions = {}): KnowledgeState {
  const threshold = opts.threshold ?? 0.8;
  const tree = structuredClone(state.tree);
  const existing = concepts(tree);
  const known = existing.map((c) => ({ path: c.path, words: baseSet(c.combines ?? [c.path]) }));
  // Candidates: concept pairs that co-occurred in a valid sample, and a concept with the tool sequence that solved
  // it (the paper's tools -> knowledge direction: "Triangle > Median" solved "by perpendicular then midpoint").
  const candidates = new Map<string, { first: string; leaf: string; parts: string[]; families: Set<string>; count: number }>();
  const offer = (first: string, leaf: string, parts: string[], family: string) => {
    const key = `${first}\u0000${leaf}`;
    const e = candidates.get(key) ?? { first, leaf, parts, families: new Set<string>(), count: 0 };
    e.families.add(family);
    e.count++;
    candidates.set(key, e);
  };
  const byPath = new Map(existing.map((c) => [c.path, c]));
  const partsOf = (path: string) => (byPath.get(path) ?? findConcept(tree, path)).combines ?? [path];
  for (const s of samples) {
    const ks = [...new Set(s.knowledge)].sort();
    for (let i = 0; i < ks.length; i++) {
      for (let j = i + 1; j < ks.length; j++) {
        offer(ks[i]!, `with ${splitPath(ks[j]!).pop()!}`, [...new Set([...partsOf(ks[i]!), ...partsOf(ks[j]!)])].sort(), s.family);
      }
      const tools = s.steps.map((st) => st.tool);
      if (tools.length) offer(ks[i]!, `by ${tools.join(' then ')}`, [...new Set([...partsOf(ks[i]!), ...tools.map((t) => `tool:${t}`)])].sort(), s.family);
    }
  }
  const ranked = [...candidates.values()].sort((a, b) => b.count - a.count || (`${a.first}${a.leaf}` < `${b.first}${b.leaf}` ? -1 : 1));
  let addedConcepts = 0, mergedConcepts = 0;
  for (const c of ranked) {
    if (addedConcepts >= (opts.maxNewConcepts ?? 40)) break;
    const w = baseSet(c.parts);
    if (known.some((k) => jaccard(k.words, w) >= threshold)) {
      mergedConcepts++;
      continue;
    }
    const path = `${c.first}${PATH_SEPARATOR}${c.leaf}`;
    insertConcept(tree, path, { families: [...c.families].sort() as never, combines: c.parts });
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
