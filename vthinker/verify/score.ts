// One axis's verdict: a 0-10 score from weighted problems, each kept as a reason.
export interface Problem {
  /** Stable machine-readable code (used for "rejects by reason" statistics). */
  code: string;
  message: string;
  /** Points taken off the 10 (10 = fatal on its own). */
  weight: number;
}

export interface AxisScore {
  score: number;
  reasons: string[];
  codes: string[];
}

export function scoreOf(problems: readonly Problem[]): AxisScore {
  const lost = problems.reduce((s, p) => s + p.weight, 0);
  return { score: Math.max(0, 10 - lost), reasons: problems.map((p) => `${p.code}: ${p.message}`), codes: [...new Set(problems.map((p) => p.code))] };
}
