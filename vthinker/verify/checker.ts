// The checker: three 0-10 scores (Q&A, figure, overlay), each with its reasons, and pass/fail by thresholds.
// Behind the `Checker` interface so a model-backed judge (an OpenAI-compatible server) can stand in later.
import type { Sample } from '../synth/types.ts';
import { figureProblems, type FigureOptions } from './figure.ts';
import { overlayProblems, type OverlayOptions } from './overlay.ts';
import { qaProblems } from './qa.ts';
import { scoreOf, type AxisScore } from './score.ts';

export type Axis = 'qa' | 'figure' | 'overlay';
export const AXES: readonly Axis[] = ['qa', 'figure', 'overlay'];

export interface Thresholds {
  qa: number;
  figure: number;
  overlay: number;
}

/** A sample passes an axis when its score reaches the threshold. Q&A must be exact; drawing allows minor issues. */
export const DEFAULT_THRESHOLDS: Thresholds = { qa: 10, figure: 7, overlay: 7 };

export interface Verdict {
  scores: Record<Axis, AxisScore>;
  passed: Record<Axis, boolean>;
  ok: boolean;
  /** The independent solver's answer (null when it could not solve). */
  solved: string | null;
}

export interface CheckOptions {
  thresholds?: Partial<Thresholds>;
  figure?: Partial<FigureOptions>;
  overlay?: Partial<OverlayOptions>;
}

export interface Checker {
  check(sample: Sample, opts?: CheckOptions): Verdict | Promise<Verdict>;
}

export function checkSample(sample: Sample, opts: CheckOptions = {}): Verdict {
  const t = { ...DEFAULT_THRESHOLDS, ...opts.thresholds };
  const qa = qaProblems(sample);
  const scores: Record<Axis, AxisScore> = {
    qa: scoreOf(qa.problems),
    figure: scoreOf(figureProblems(sample.scene, opts.figure)),
    overlay: scoreOf(overlayProblems(sample, opts.overlay)),
  };
  const passed = { qa: scores.qa.score >= t.qa, figure: scores.figure.score >= t.figure, overlay: scores.overlay.score >= t.overlay };
  return { scores, passed, ok: passed.qa && passed.figure && passed.overlay, solved: qa.solved };
}

export const ruleChecker: Checker = { check: checkSample };
