// The plain-JSON sample every flywheel stage exchanges, and the contract of a question family.
import type { Definition, TemplateId } from '../knowledge/grammar.ts';
import type { Step, ToolName } from '../knowledge/tools.ts';
import type { DrawOp, Scene } from '../scene/types.ts';
import type { Rng } from '../util/random.ts';

export type Domain = 'Geometry' | 'Algebra' | 'Statistics' | 'Logic';

export interface PerceptionTask {
  question: string;
  /** Requested point name -> pixel coordinates (scene units; equal to pixels at the scene's native size). */
  targets: Record<string, [number, number]>;
}

export interface Sample {
  id: string;
  seed: number;
  domain: Domain;
  family: TemplateId;
  knowledge: string[];
  tools: ToolName[];
  difficulty: 1 | 2 | 3;
  scene: Scene;
  steps: Step[];
  overlay: DrawOp[];
  question: string;
  answer: string;
  solution: string[];
  thought: { before: string; after: string };
  instruction: string;
  perceptionTask: PerceptionTask;
}

/** What a family's builder returns for one layout: everything but bookkeeping. */
export interface Built {
  scene: Scene;
  slots: string[];
  steps: Step[];
  answer: string;
  perception: PerceptionTask;
  definitions?: Definition[];
}

export interface BuildContext {
  width: number;
  height: number;
  /** The answer this layout must realise (answers are chosen first so every family is balanced). */
  target: string;
}

export interface Family {
  id: TemplateId;
  domain: Domain;
  /** Tools the construction uses (the predicted tools of the concept -> data direction). */
  tools: ToolName[];
  /**
   * The answers the family draws uniformly from. For choice families (see `choices`) these are option positions
   * ("0", "1", ...) and the answer is the label at that position, so balance is over positions.
   */
  answers: readonly string[];
  /** For choice families: the options the question lists, in order, from its slots. */
  choices?: (slots: readonly string[]) => string[];
  /** Index of the question slot holding a free-standing subject point that difficulty expansion may replace. */
  subject?: number;
  /**
   * The answer-dependent text: what the model sees after drawing (thought.after) and the solution lines between the
   * construction notes and the final "answer ..." line. A function of the question's slots and the answer alone, so
   * a repairer can rewrite the text for a corrected answer.
   */
  describe(slots: readonly string[], answer: string): { after: string; reading: string[] };
  /** One attempt at a layout realising ctx.target; null when this draw did not work out (the caller retries). */
  build(rng: Rng, ctx: BuildContext): Built | null;
}
