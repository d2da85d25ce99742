// The rule-based creator: from a family, from concept paths (-> data + predicted tools) or from visual tools
// (-> data + predicted knowledge paths), build one verified-legible sample with a balanced, pre-chosen answer.
import { formatQuestion, matchTemplate } from '../knowledge/grammar.ts';
import { buildTree, concepts as leaves, conceptsForFamily, findConcept, type KnowledgeNode } from '../knowledge/tree.ts';
import { TOOLS, toolThought, type Step, type ToolName } from '../knowledge/tools.ts';
import { rng as makeRng, type Rng } from '../util/random.ts';
import { figureProblems } from '../verify/figure.ts';
import { FAMILIES, FAMILY_IDS, familyOf } from './families/index.ts';
import type { Built, Family, Sample } from './types.ts';

export interface CreateSpec {
  /** Build this family (otherwise chosen from concepts, tools, or uniformly). */
  family?: string;
  /** Concept paths to build from: the family is one they can all create (else one any of them can). */
  concepts?: string[];
  /** Visual tools to build from: the family uses all of them (else one of them). */
  tools?: string[];
  /** The answer to realise (default: drawn uniformly from the family's answers, so families stay balanced). */
  target?: string;
  width?: number;
  height?: number;
  /**
   * Layout attempts before giving up (each is an independent forked stream; default 4000). Some family/answer pairs
   * are rare draws (a ray that does cross, a curve crossing a level 3 times): 400 gave up on about one sample in 30k
   * once the flywheel made 4x the tiny profile's data. A layout found earlier is the same whatever the cap.
   */
  maxAttempts?: number;
  /** The knowledge tree to read concepts from (default: the seed tree). */
  knowledge?: KnowledgeNode;
}

/** The interface a model-backed creator (an OpenAI-compatible server) would also implement. */
export interface Creator {
  create(spec: CreateSpec, rng: Rng): Sample | Promise<Sample>;
}

const SEED_TREE = buildTree();

function chooseFamily(spec: CreateSpec, tree: KnowledgeNode, rng: Rng): { family: Family; knowledge: string[] } {
  if (spec.family) {
    const family = familyOf(spec.family);
    const given = spec.concepts?.filter((p) => findConcept(tree, p).families?.includes(family.id));
    if (spec.concepts && !given?.length) throw new Error(`synth: none of the concepts ${JSON.stringify(spec.concepts)} creates family "${family.id}"`);
    return { family, knowledge: given?.length ? given : conceptsForFamily(tree, family.id) };
  }
  if (spec.concepts?.length) {
    const sets = spec.concepts.map((p) => findConcept(tree, p).families ?? []);
    const all = FAMILY_IDS.filter((f) => sets.every((s) => s.includes(f)));
    const any = FAMILY_IDS.filter((f) => sets.some((s) => s.includes(f)));
    const pool = all.length ? all : any;
    if (!pool.length) throw new Error(`synth: the concepts ${JSON.stringify(spec.concepts)} create no family (composite concepts need their parts)`);
    const family = FAMILIES[rng.pick(pool)];
    return { family, knowledge: spec.concepts.filter((p) => findConcept(tree, p).families?.includes(family.id)) };
  }
  if (spec.tools?.length) {
    for (const t of spec.tools) if (!(t in TOOLS)) throw new Error(`synth: unknown tool "${t}" (known: ${Object.keys(TOOLS).join(', ')})`);
    const all = FAMILY_IDS.filter((f) => spec.tools!.every((t) => (FAMILIES[f].tools as string[]).includes(t)));
    const any = FAMILY_IDS.filter((f) => spec.tools!.some((t) => (FAMILIES[f].tools as string[]).includes(t)));
    const pool = all.length ? all : any;
    if (!pool.length) throw new Error(`synth: no family uses the tools ${JSON.stringify(spec.tools)}`);
    const family = FAMILIES[rng.pick(pool)];
    return { family, knowledge: conceptsForFamily(tree, family.id) };
  }
  const family = FAMILIES[rng.pick(FAMILY_IDS)];
  return { family, knowledge: conceptsForFamily(tree, family.id) };
}

/** The "before" thought of a step, recovered from its instruction (the words the tool was applied to). */
export function stepThought(step: Step): string {
  const words = matchTemplate(TOOLS[step.tool].instruction, step.note.split(' ')) ?? [];
  return toolThought(step.tool, words);
}

/** Assemble the sample's text fields from a built layout (also used after difficulty expansion). */
export function assemble(base: Omit<Sample, 'question' | 'solution' | 'thought' | 'instruction' | 'overlay' | 'tools' | 'answer' | 'perceptionTask' | 'scene' | 'steps'>, built: Built): Sample {
  const steps = built.steps;
  const { after, reading } = familyOf(base.family).describe(built.slots, built.answer);
  return {
    ...base,
    tools: [...new Set(steps.map((s) => s.tool))] as ToolName[],
    scene: built.scene,
    steps,
    overlay: steps.flatMap((s) => s.ops),
    question: formatQuestion(base.family, built.slots, built.definitions ?? []),
    answer: built.answer,
    solution: [...steps.map((s) => s.note), ...reading, `answer ${built.answer}`],
    thought: { before: steps.map(stepThought).join(' ; '), after },
    instruction: steps.map((s) => s.note).join(' ; '),
    perceptionTask: built.perception,
  };
}

/** Build one layout of `family` realising `target` that passes the figure checks, or throw after maxAttempts. */
export function buildLayout(family: Family, target: string, rng: Rng, opts: { width: number; height: number; maxAttempts: number }): Built {
  if (!family.answers.includes(target)) throw new Error(`synth: "${target}" is not an answer of family "${family.id}" (${family.answers.join(', ')})`);
  for (let i = 0; i < opts.maxAttempts; i++) {
    const built = family.build(rng.fork(`attempt ${i}`), { width: opts.width, height: opts.height, target });
    if (built && figureProblems(built.scene).length === 0) return built;
  }
  throw new Error(`synth: family "${family.id}" found no legible layout for answer "${target}" in ${opts.maxAttempts} attempts (canvas ${opts.width}x${opts.height})`);
}

export function createSample(spec: CreateSpec, rng: Rng): Sample {
  const width = spec.width ?? 128, height = spec.height ?? spec.width ?? 128;
  if (!(width >= 96 && height >= 96)) throw new Error(`synth: canvas ${width}x${height} is too small (families are laid out for 96 units or more)`);
  const tree = spec.knowledge ?? SEED_TREE;
  const { family, knowledge } = chooseFamily(spec, tree, rng.fork('family'));
  const target = spec.target ?? rng.fork('target').pick(family.answers);
  const built = buildLayout(family, target, rng.fork('layout'), { width, height, maxAttempts: spec.maxAttempts ?? 4000 });
  return assemble({ id: `${family.id}-${rng.seed.toString(16).padStart(8, '0')}`, seed: rng.seed, domain: family.domain, family: family.id, knowledge, difficulty: 1 }, built);
}

/** The creator behind the `Creator` interface. */
export const ruleCreator: Creator = { create: createSample };

/** Every known concept path of a tree (for drawing concept combinations). */
export const conceptPaths = (tree: KnowledgeNode = SEED_TREE): string[] => leaves(tree).map((c) => c.path);

/** A fresh stream for sample `index` of a dataset seeded with `seed` (so any sample can be rebuilt on its own). */
export const sampleRng = (seed: number, index: number): Rng => makeRng(`${seed}:${index}`);

