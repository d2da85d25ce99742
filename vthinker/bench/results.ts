// The benchmark's results across variants: the JSON the notebooks and the report read, the paper-format markdown
// table (measured rows with 95% intervals and deltas against the base, then the paper's rows, then paired tests),
// per-family scores, and a gallery of one variant's successes and failures.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contactSheet } from '../scene/contact.ts';
import { decodePng, encodePng } from '../scene/raster.ts';
import type { BenchScores } from './evaluate-model.ts';
import { fileStem } from './layout.ts';
import { annotationOf, type BenchItem, questionOf } from './types.ts';
import { accuracyOf, PAPER_ROWS, pairedExactTest, type PairedTest } from './score.ts';
import { comboKey } from '../synth/split.ts';
import type { Sample } from '../synth/types.ts';

import { VARIANT_LABELS } from './variants.ts';

export { VARIANT_LABELS };
type Col = 'perception' | 'igi' | 'ir';
const COLS: readonly Col[] = ['perception', 'igi', 'ir'];

export interface ResultsJson {
  variants: Record<string, Record<Col, { score: number; lo: number; hi: number; n: number }>>;
  paper: { model: string; perception: number; igi: number; ir: number }[];
  domains: { variant: string; task: Col; domain: string; score: number; n: number }[];
  tools: Record<string, BenchScores['tools']>;
  /** M0 against each other variant, per task, on the same items. */
  paired: PairedComparison[];
  /** Per variant, task and question family (items with a family only): where a variant gains or loses. */
  families: { variant: string; task: Col; family: string; score: number; n: number }[];
}

export interface PairedComparison extends PairedTest { a: string; b: string; task: Col }

type Scored = BenchScores & { variant: string };

/** The comparisons the paper's shape is about: the full curriculum against the base and against each ablation. */
export function pairedComparisons(scores: readonly Scored[], reference = 'm0'): PairedComparison[] {
  const a = scores.find((s) => s.variant === reference);
  if (!a) return [];
  const ids = Object.keys(a.verdicts).sort();
  return scores.filter((b) => b !== a).flatMap((b) => {
    const missing = ids.find((id) => !b.verdicts[id]);
    if (missing !== undefined) throw new Error(`paired comparison: ${b.variant} has no verdict for item ${missing} that ${reference} has; score both on the same benchmark file`);
    return COLS.map((task) => ({ a: a.variant, b: b.variant, task, ...pairedExactTest(ids.map((id) => a.verdicts[id]![task]), ids.map((id) => b.verdicts[id]![task])) }));
  });
}

/** Accuracy in percent per variant, task and family, from the per-item verdicts; items without a family are left out. */
export function familyScores(items: readonly { id: string; family?: string }[], scores: readonly Scored[]): ResultsJson['families'] {
  const byFamily = new Map<string, string[]>();
  for (const it of items) if (it.family !== undefined) (byFamily.get(it.family) ?? byFamily.set(it.family, []).get(it.family)!).push(it.id);
  const families = [...byFamily.keys()].sort();
  return scores.flatMap((s) => COLS.flatMap((task) => families.map((family) => {
    const ids = byFamily.get(family)!;
    const right = ids.filter((id) => s.verdicts[id]?.[task] === 1).length;
    return { variant: s.variant, task, family, score: +((100 * right) / ids.length).toFixed(1), n: ids.length };
  })));
}

const pValue = (p: number) => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);

const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}`;

export function resultsTable(scores: readonly Scored[], items: readonly { id: string; family?: string }[] = []): { json: ResultsJson; markdown: string } {
  const base = scores.find((s) => s.variant === 'base');
  const json: ResultsJson = {
    variants: Object.fromEntries(scores.map((s) => [s.variant, s.tasks])),
    paper: PAPER_ROWS.map((r) => ({ model: r.name, perception: r.perception, igi: r.instruction, ir: r.reasoning })),
    domains: scores.flatMap((s) => s.domains.map((d) => ({ variant: s.variant, ...d }))),
    tools: Object.fromEntries(scores.map((s) => [s.variant, s.tools])),
    paired: pairedComparisons(scores),
    families: familyScores(items, scores),
  };
  const cell = (s: Scored, c: Col) => {
    const t = s.tasks[c];
    const delta = base && s !== base ? ` (${signed(t.score - base.tasks[c].score)})` : '';
    return `${t.score.toFixed(1)}${delta} [${t.lo.toFixed(1)}, ${t.hi.toFixed(1)}]`;
  };
  const n = scores[0]?.items ?? 0;
  const label = (v: string) => VARIANT_LABELS[v] ?? v;
  const lines = [
    `Measured on ${n} items per task (95% Wilson intervals in brackets; deltas against the base in parentheses).`,
    '',
    '| model | Perception | IGI | IR |',
    '|---|---|---|---|',
    ...scores.map((s) => `| ${label(s.variant)} | ${COLS.map((c) => cell(s, c)).join(' | ')} |`),
    ...PAPER_ROWS.map((r) => `| ${r.name} | ${r.perception.toFixed(1)} | ${r.instruction.toFixed(1)} | ${r.reasoning.toFixed(1)} |`),
    '',
  ];
  const pairs = [...new Set(json.paired.map((c) => c.b))];
  if (pairs.length > 0) {
    lines.push(
      'Paired on the same items (exact McNemar test: items only the first model gets right vs only the second):',
      '',
      '| comparison | Perception | IGI | IR |',
      '|---|---|---|---|',
      ...pairs.map((b) => {
        const cells = COLS.map((c) => json.paired.find((x) => x.b === b && x.task === c)!).map((x) => `${x.onlyA} vs ${x.onlyB}, ${pValue(x.p)}`);
        return `| ${label(json.paired[0]!.a)} vs ${label(b)} | ${cells.join(' | ')} |`;
      }),
      '',
    );
  }
  return { json, markdown: lines.join('\n') };
}

/**
 * Contact sheets of one variant: per drawing task, `perRow` successes and `perRow` failures, each as
 * original | model's edit | ground truth; and the IR responses of successes and failures as JSON.
 */
export function writeGallery(items: readonly BenchItem[], outputsDir: string, scores: BenchScores, outDir: string, perRow = 4): void {
  mkdirSync(outDir, { recursive: true });
  for (const [task, col] of [['perception', 'perception'], ['instruction', 'igi']] as const) {
    for (const ok of [1, 0] as const) {
      const picked = items.filter((it) => it[task] && scores.verdicts[it.id]?.[col] === ok).slice(0, perRow);
      if (!picked.length) continue;
      const rows = picked.map((it) => [
        decodePng(it.image),
        decodePng(readFileSync(join(outputsDir, `${fileStem(it.id)}.${task}.png`))),
        decodePng(annotationOf(it, task)),
      ]);
      const captions = picked.map((it) => [(questionOf(it, task) ?? '').slice(0, 26), 'model', 'ground truth']);
      writeFileSync(join(outDir, `${col}-${ok ? 'success' : 'failure'}.png`), encodePng(contactSheet(rows, { captions, cell: 128 })));
    }
  }
  const ir = (ok: 0 | 1) => items.filter((it) => it.reasoning && scores.verdicts[it.id]?.ir === ok).slice(0, 2 * perRow).map((it) => ({
    id: it.id, domain: it.domain, question: it.reasoning!.question, gold: it.reasoning!.answer,
    response: readFileSync(join(outputsDir, `${fileStem(it.id)}.reasoning.txt`), 'utf8').trim(),
  }));
  writeFileSync(join(outDir, 'ir.json'), JSON.stringify({ successes: ir(1), failures: ir(0) }, null, 2) + '\n');
}

/**
 * IR on subsets of the items, per variant: the held-out concept combinations (a combination no training sample has:
 * comboKey and verify's heldOutCombos, synth/split.ts) and depth-2/3 items (difficulty expansion), from the held-out
 * samples the items were built from (item id = sample id); M0 against M1 and the base on each, paired.
 */
export function irSubsets(scores: readonly Scored[], heldout: readonly Sample[], heldOutCombos: ReadonlySet<string>, itemIds: readonly string[]) {
  const byId = new Map(heldout.map((s) => [s.id, s]));
  const subsetIds = {
    heldout_combo: itemIds.filter((id) => byId.has(id) && heldOutCombos.has(comboKey(byId.get(id)!))),
    depth23: itemIds.filter((id) => (byId.get(id)?.difficulty ?? 1) >= 2),
  };
  const rows = scores.map((s) => ({
    variant: s.variant,
    scores: Object.fromEntries(Object.entries(subsetIds).map(([k, ids]) => {
      const v = ids.map((id) => s.verdicts[id]?.ir ?? 0);
      const a = accuracyOf(v);
      return [k, { score: +(100 * a.accuracy).toFixed(1), n: a.total }];
    })),
  }));
  const m0 = scores.find((s) => s.variant === 'm0');
  const paired = m0 ? scores.filter((s) => s.variant === 'm1' || s.variant === 'base').flatMap((b) => Object.entries(subsetIds).map(([k, ids]) => ({
    a: 'm0', b: b.variant, subset: k, ...pairedExactTest(ids.map((id) => m0.verdicts[id]?.ir ?? 0), ids.map((id) => b.verdicts[id]?.ir ?? 0)),
  }))) : [];
  const label = (v: string) => VARIANT_LABELS[v] ?? v;
  const markdown = [
    `IR on subsets: ${subsetIds.heldout_combo.length} items of held-out concept combinations, ${subsetIds.depth23.length} of depth 2-3.`,
    '',
    '| model | IR, held-out combinations | IR, depth 2-3 |',
    '|---|---|---|',
    ...rows.map((r) => `| ${label(r.variant)} | ${r.scores.heldout_combo!.score.toFixed(1)} (n ${r.scores.heldout_combo!.n}) | ${r.scores.depth23!.score.toFixed(1)} (n ${r.scores.depth23!.n}) |`),
    '',
    ...paired.map((c) => `- M0 vs ${label(c.b)} on ${c.subset}: ${c.onlyA} vs ${c.onlyB}, ${pValue(c.p)}`),
    '',
  ].join('\n');
  return { json: { sizes: Object.fromEntries(Object.entries(subsetIds).map(([k, v]) => [k, v.length])), rows, paired }, markdown };
}
