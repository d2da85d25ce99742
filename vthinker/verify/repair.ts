// The repair loop: check every sample; when only the Q&A axis fails, rewrite the answer and its text from the
// independent solver's reading, re-check, at most `maxRounds` times; report accepted, rejected (with reasons) and
// statistics.
import { formatQuestion, parseQuestion } from '../knowledge/grammar.ts';
import { familyOf } from '../synth/families/index.ts';
import type { Sample } from '../synth/types.ts';
import { AXES, checkSample, type Axis, type CheckOptions, type Verdict } from './checker.ts';

export interface Repairer {
  /** A rewritten sample, or null when this repairer cannot fix it. */
  repair(sample: Sample, verdict: Verdict): Sample | null;
}

/**
 * Rewrites question, answer, solution and thought for the solver's answer (the figure and construction stay). The
 * repaired sample is then checked again like any other, so a rewrite that breaks something else is still rejected.
 */
export const textRepairer: Repairer = {
  repair(sample, verdict) {
    if (verdict.solved === null) return null;
    const family = familyOf(sample.family);
    const parsed = parseQuestion(sample.question);
    const answer = verdict.solved;
    const options = family.choices?.(parsed.slots);
    // The rewritten answer must still be one the question can have (an option of a choice question).
    if (options ? !options.includes(answer) : !/^(yes|no|\d+)$/.test(answer)) return null;
    const { after, reading } = family.describe(parsed.slots, answer);
    return {
      ...sample,
      question: formatQuestion(parsed.template, parsed.slots, parsed.definitions),
      answer,
      solution: [...sample.steps.map((s) => s.note), ...reading, `answer ${answer}`],
      thought: { ...sample.thought, after },
    };
  },
};

/** Repair applies when the figure and overlay pass and the Q&A axis fails only for the answer's text. */
function onlyAnswerWrong(v: Verdict): boolean {
  return !v.passed.qa && v.passed.figure && v.passed.overlay && v.scores.qa.codes.every((c) => c === 'wrong-answer' || c === 'solution-mismatch');
}

export interface Rejected {
  sample: Sample;
  reasons: string[];
  scores: Record<Axis, number>;
}

export interface VerifyStats {
  total: number;
  accepted: number;
  rejected: number;
  /** Share of samples passing each axis on their first check. */
  passRate: Record<Axis, number>;
  /** Repair rounds run, and samples accepted after at least one repair. */
  repairs: number;
  repaired: number;
  /** Reason code -> rejected samples showing it. */
  rejectsByReason: Record<string, number>;
}

export interface VerifyResult {
  accepted: Sample[];
  rejected: Rejected[];
  stats: VerifyStats;
}

export interface VerifyOptions extends CheckOptions {
  /** Repair rounds per sample (0 disables repair). */
  maxRounds?: number;
  repairer?: Repairer;
  check?: (sample: Sample, opts: CheckOptions) => Verdict;
}

export function verifySamples(samples: readonly Sample[], opts: VerifyOptions = {}): VerifyResult {
  const check = opts.check ?? checkSample;
  const repairer = opts.repairer ?? textRepairer;
  const maxRounds = opts.maxRounds ?? 2;
  const accepted: Sample[] = [];
  const rejected: Rejected[] = [];
  const firstPass: Record<Axis, number> = { qa: 0, figure: 0, overlay: 0 };
  const byReason: Record<string, number> = {};
  let repairs = 0, repaired = 0;
  for (const original of samples) {
    let sample = original;
    let verdict = check(sample, opts);
    for (const a of AXES) if (verdict.passed[a]) firstPass[a]++;
    let rounds = 0;
    while (!verdict.ok && onlyAnswerWrong(verdict) && rounds < maxRounds) {
      const fixed = repairer.repair(sample, verdict);
      rounds++;
      repairs++;
      if (!fixed) break;
      sample = fixed;
      verdict = check(sample, opts);
    }
    if (verdict.ok) {
      accepted.push(sample);
      if (rounds > 0) repaired++;
    } else {
      const codes = AXES.flatMap((a) => verdict.scores[a].codes.map((c) => `${a}/${c}`));
      for (const c of new Set(codes)) byReason[c] = (byReason[c] ?? 0) + 1;
      rejected.push({
        sample,
        reasons: AXES.flatMap((a) => verdict.scores[a].reasons.map((r) => `${a}: ${r}`)),
        scores: { qa: verdict.scores.qa.score, figure: verdict.scores.figure.score, overlay: verdict.scores.overlay.score },
      });
    }
  }
  const n = Math.max(1, samples.length);
  return {
    accepted, rejected,
    stats: {
      total: samples.length, accepted: accepted.length, rejected: rejected.length,
      passRate: { qa: firstPass.qa / n, figure: firstPass.figure / n, overlay: firstPass.overlay / n },
      repairs, repaired, rejectsByReason: Object.fromEntries(Object.entries(byReason).sort()),
    },
  };
}
