// The benchmark's results across variants: the JSON the notebooks and the report read, the paper-format markdown
// table (measured rows with 95% intervals and deltas against the base, then the paper's rows), and a gallery of one
// variant's successes and failures.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contactSheet } from '../scene/contact.ts';
import { decodePng, encodePng } from '../scene/raster.ts';
import type { BenchScores } from './evaluate-model.ts';
import { fileStem, loadBench } from './layout.ts';
import { PAPER_ROWS } from './score.ts';

type Col = 'perception' | 'igi' | 'ir';
const COLS: readonly Col[] = ['perception', 'igi', 'ir'];
export const VARIANT_LABELS: Record<string, string> = {
  base: 'base (direct answer)', m0: 'M0 full curriculum', m1: 'M1 without RL', m2: 'M2 without perception',
};

export interface ResultsJson {
  variants: Record<string, Record<Col, { score: number; lo: number; hi: number; n: number }>>;
  paper: { model: string; perception: number; igi: number; ir: number }[];
  domains: { variant: string; task: Col; domain: string; score: number; n: number }[];
  tools: Record<string, BenchScores['tools']>;
}

const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}`;

export function resultsTable(scores: readonly (BenchScores & { variant: string })[]): { json: ResultsJson; markdown: string } {
  const base = scores.find((s) => s.variant === 'base');
  const json: ResultsJson = {
    variants: Object.fromEntries(scores.map((s) => [s.variant, s.tasks])),
    paper: PAPER_ROWS.map((r) => ({ model: r.name, perception: r.perception, igi: r.instruction, ir: r.reasoning })),
    domains: scores.flatMap((s) => s.domains.map((d) => ({ variant: s.variant, ...d }))),
    tools: Object.fromEntries(scores.map((s) => [s.variant, s.tools])),
  };
  const cell = (s: BenchScores & { variant: string }, c: Col) => {
    const t = s.tasks[c];
    const delta = base && s !== base ? ` (${signed(t.score - base.tasks[c].score)})` : '';
    return `${t.score.toFixed(1)}${delta} [${t.lo.toFixed(1)}, ${t.hi.toFixed(1)}]`;
  };
  const n = scores[0]?.items ?? 0;
  const lines = [
    `Measured on ${n} items per task (95% Wilson intervals in brackets; deltas against the base in parentheses).`,
    '',
    '| model | Perception | IGI | IR |',
    '|---|---|---|---|',
    ...scores.map((s) => `| ${VARIANT_LABELS[s.variant] ?? s.variant} | ${COLS.map((c) => cell(s, c)).join(' | ')} |`),
    ...PAPER_ROWS.map((r) => `| ${r.name} | ${r.perception.toFixed(1)} | ${r.instruction.toFixed(1)} | ${r.reasoning.toFixed(1)} |`),
    '',
  ];
  return { json, markdown: lines.join('\n') };
}

/**
 * Contact sheets of one variant: per drawing task, `perRow` successes and `perRow` failures, each as
 * original | model's edit | ground truth; and the IR responses of successes and failures as JSON.
 */
export async function writeGallery(benchFile: string, outputsDir: string, scores: BenchScores, outDir: string, perRow = 4): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const items = await loadBench(benchFile);
  for (const [task, col] of [['perception', 'perception'], ['instruction', 'igi']] as const) {
    for (const ok of [1, 0] as const) {
      const picked = items.filter((it) => scores.verdicts[it.id]?.[col] === ok).slice(0, perRow);
      if (!picked.length) continue;
      const rows = picked.map((it) => [
        decodePng(it.image),
        decodePng(readFileSync(join(outputsDir, `${fileStem(it.id)}.${task}.png`))),
        decodePng(task === 'perception' ? it.perception.annotation : it.instruction.annotation),
      ]);
      const captions = picked.map((it) => [(task === 'perception' ? it.perception.question : it.instruction.question).slice(0, 26), 'model', 'ground truth']);
      writeFileSync(join(outDir, `${col}-${ok ? 'success' : 'failure'}.png`), encodePng(contactSheet(rows, { captions, cell: 128 })));
    }
  }
  const ir = (ok: 0 | 1) => items.filter((it) => scores.verdicts[it.id]?.ir === ok).slice(0, 2 * perRow).map((it) => ({
    id: it.id, domain: it.domain, question: it.reasoning.question, gold: it.reasoning.answer,
    response: readFileSync(join(outputsDir, `${fileStem(it.id)}.reasoning.txt`), 'utf8').trim(),
  }));
  writeFileSync(join(outDir, 'ir.json'), JSON.stringify({ successes: ir(1), failures: ir(0) }, null, 2) + '\n');
}
