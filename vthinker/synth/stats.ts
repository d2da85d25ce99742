// Dataset statistics (counts by domain, family, concept, tool, difficulty; answer balance) and a contact sheet of
// random samples (original | overlay) for a quick look.
import { contactSheet, renderScene, type RasterImage } from '../scene/render.ts';
import { parseQuestion } from '../knowledge/grammar.ts';
import type { Rng } from '../util/random.ts';
import { familyOf } from './families/index.ts';
import type { Sample } from './types.ts';

export interface DatasetStats {
  samples: number;
  byDomain: Record<string, number>;
  byFamily: Record<string, number>;
  byConcept: Record<string, number>;
  byTool: Record<string, number>;
  byDifficulty: Record<string, number>;
  /** Per family: answer (or, for choice families, option position "#0", "#1", ...) -> count. */
  answerBalance: Record<string, Record<string, number>>;
  /** Per family: share of the most frequent answer (what always-guess-the-majority would score). */
  majorityShare: Record<string, number>;
}

const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);
const sorted = (m: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The answer as balance sees it: the option position for choice families, the answer itself otherwise. */
export function balanceKey(s: Sample): string {
  const choices = familyOf(s.family).choices;
  return choices ? `#${choices(parseQuestion(s.question).slots).indexOf(s.answer)}` : s.answer;
}

export function datasetStats(samples: readonly Sample[]): DatasetStats {
  const st = { byDomain: {}, byFamily: {}, byConcept: {}, byTool: {}, byDifficulty: {} } as Record<string, Record<string, number>>;
  const balance: Record<string, Record<string, number>> = {};
  for (const s of samples) {
    bump(st.byDomain!, s.domain);
    bump(st.byFamily!, s.family);
    for (const k of s.knowledge) bump(st.byConcept!, k);
    for (const t of s.tools) bump(st.byTool!, t);
    bump(st.byDifficulty!, String(s.difficulty));
    bump((balance[s.family] ??= {}), balanceKey(s));
  }
  const answerBalance = Object.fromEntries(Object.entries(balance).sort().map(([f, m]) => [f, sorted(m)]));
  const majorityShare = Object.fromEntries(Object.entries(answerBalance).map(([f, m]) => {
    const counts = Object.values(m);
    return [f, Math.max(...counts) / counts.reduce((a, b) => a + b, 0)];
  }));
  return {
    samples: samples.length, byDomain: sorted(st.byDomain!), byFamily: sorted(st.byFamily!), byConcept: sorted(st.byConcept!),
    byTool: sorted(st.byTool!), byDifficulty: sorted(st.byDifficulty!), answerBalance, majorityShare,
  };
}

/** A contact sheet of `count` random samples, one row each: original | original with the overlay. */
export function sampleSheet(samples: readonly Sample[], rng: Rng, opts: { count?: number; size?: number } = {}): RasterImage {
  const picked = rng.shuffle(samples).slice(0, opts.count ?? 8);
  const size = opts.size ?? 128;
  const rows = picked.map((s) => [renderScene(s.scene, [], { size }), renderScene(s.scene, s.overlay, { size })]);
  return contactSheet(rows, {
    captions: picked.map((s) => [s.family, `answer ${s.answer}`]),
    rowLabels: picked.map((s) => s.id.slice(0, 18)),
  });
}
