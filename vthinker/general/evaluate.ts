// The general benchmark: a model answers each general question about a held-out figure (greedy; it may interact
// with the image as on VTBench's IR, up to `rounds` rounds) and is judged by answer equivalence. Scores in percent
// with 95% Wilson intervals, overall, on the held-out (question x figure family) combinations and the others, per
// question family; per-item verdicts for paired tests; the table across variants with exact paired tests.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Policy } from '../model/policy.ts';
import type { Tokenizer } from '../policy/tokenizer.ts';
import type { Rollout } from '../policy/rollout.ts';
import { episodeReward } from '../curriculum/reward.ts';
import { runRollouts } from '../curriculum/rollouts.ts';
import { accuracyOf, pairedExactTest, type PairedTest } from '../bench/score.ts';
import { rng } from '../util/random.ts';
import { generalEpisode, type GeneralItem } from './data.ts';

export interface Score { score: number; lo: number; hi: number; n: number }
export interface GeneralScores {
  overall: Score;
  heldoutCombo: Score;
  heldinCombo: Score;
  families: Record<string, Score>;
  /** Share of items where the model called the sandbox. */
  toolUse: number;
  verdicts: Record<string, 0 | 1>;
}

const pct = (v: number) => +(100 * v).toFixed(1);
export function scoreOf(verdicts: readonly (0 | 1)[]): Score {
  const a = accuracyOf(verdicts);
  return { score: pct(a.accuracy), lo: pct(a.low), hi: pct(a.high), n: a.total };
}

export async function evaluateGeneral(policy: Policy, tok: Tokenizer, items: readonly GeneralItem[], rounds: number, outDir?: string): Promise<GeneralScores> {
  const episodes = items.map(generalEpisode);
  const outs: Rollout[] = [];
  for (let i = 0; i < episodes.length; i += 64) outs.push(...(await runRollouts(policy, tok, episodes.slice(i, i + 64), { maxRounds: rounds, temperature: 0 }, rng(0))));
  const verdicts = episodes.map((e, i) => (episodeReward(e, outs[i]!).correct ? 1 : 0) as 0 | 1);
  if (outDir) {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'general.jsonl'), items.map((it, i) => JSON.stringify({ id: it.id, question: it.question, gold: it.answer, response: outs[i]!.text, correct: verdicts[i] })).join('\n') + '\n');
  }
  const where = (ok: (it: GeneralItem) => boolean) => items.flatMap((it, i) => (ok(it) ? [verdicts[i]!] : []));
  const families = [...new Set(items.map((it) => it.family))].sort();
  return {
    overall: scoreOf(verdicts),
    heldoutCombo: scoreOf(where((it) => it.heldoutCombo)),
    heldinCombo: scoreOf(where((it) => !it.heldoutCombo)),
    families: Object.fromEntries(families.map((f) => [f, scoreOf(where((it) => it.family === f))])),
    toolUse: +(outs.filter((o) => o.calls.length > 0).length / Math.max(1, outs.length)).toFixed(4),
    verdicts: Object.fromEntries(items.map((it, i) => [it.id, verdicts[i]!])),
  };
}

export interface GeneralComparison extends PairedTest { a: string; b: string; subset: 'all' | 'heldoutCombo' }

/** The paired tests the issue asks for: every variant against the base and against M1, on all items and on held-out combinations. */
export function generalComparisons(scores: Record<string, GeneralScores>, items: readonly GeneralItem[], references = ['base', 'm1']): GeneralComparison[] {
  const subsets = { all: items.map((i) => i.id), heldoutCombo: items.filter((i) => i.heldoutCombo).map((i) => i.id) } as const;
  const out: GeneralComparison[] = [];
  for (const b of references) {
    if (!scores[b]) continue;
    for (const a of Object.keys(scores)) {
      if (a === b || (references.includes(a) && references.indexOf(a) < references.indexOf(b))) continue;
      for (const [subset, ids] of Object.entries(subsets) as [GeneralComparison['subset'], string[]][]) {
        out.push({ a, b, subset, ...pairedExactTest(ids.map((id) => scores[a]!.verdicts[id]!), ids.map((id) => scores[b]!.verdicts[id]!)) });
      }
    }
  }
  return out;
}

const pValue = (p: number) => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);
const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}`;

/** The markdown table: each variant overall and on held-out combinations (deltas against the base), then the tests. */
export function generalTable(scores: Record<string, GeneralScores>, labels: Record<string, string>, comparisons: readonly GeneralComparison[]): string {
  const base = scores.base;
  const cell = (v: string, s: Score, b?: Score) => `${s.score.toFixed(1)}${b && v !== 'base' ? ` (${signed(s.score - b.score)})` : ''} [${s.lo.toFixed(1)}, ${s.hi.toFixed(1)}]`;
  const first = Object.values(scores)[0];
  return [
    `General benchmark: ${first?.overall.n ?? 0} held-out items (${first?.heldoutCombo.n ?? 0} in question x figure combinations no training set has); 95% Wilson intervals, deltas against the base.`,
    '',
    '| model | all | held-out combinations | other combinations | tool use |',
    '|---|---|---|---|---|',
    ...Object.entries(scores).map(([v, s]) => `| ${labels[v] ?? v} | ${cell(v, s.overall, base?.overall)} | ${cell(v, s.heldoutCombo, base?.heldoutCombo)} | ${cell(v, s.heldinCombo, base?.heldinCombo)} | ${(100 * s.toolUse).toFixed(0)}% |`),
    '',
    'Paired on the same items (exact McNemar test: items only the first model gets right vs only the second):',
    '',
    '| comparison | all | held-out combinations |',
    '|---|---|---|',
    ...[...new Set(comparisons.map((c) => `${c.a}|${c.b}`))].map((key) => {
      const [a, b] = key.split('|') as [string, string];
      const c = (subset: GeneralComparison['subset']) => comparisons.find((x) => x.a === a && x.b === b && x.subset === subset)!;
      return `| ${labels[a] ?? a} vs ${labels[b] ?? b} | ${c('all').onlyA} vs ${c('all').onlyB}, ${pValue(c('all').p)} | ${c('heldoutCombo').onlyA} vs ${c('heldoutCombo').onlyB}, ${pValue(c('heldoutCombo').p)} |`;
    }),
    '',
  ].join('\n');
}
