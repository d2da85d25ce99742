// Scores: per-task accuracy with 95% Wilson intervals, per-domain breakdowns, and the paper-format table.
import type { Task } from './types.ts';
import { TASKS } from './types.ts';

/** One judged (item, task). */
export interface ScoredRow {
  id: string;
  domain: string;
  /** The release's dataset-entity, when the item has one. */
  entity?: string;
  task: Task;
  score: 0 | 1;
}

export interface Accuracy {
  correct: number;
  total: number;
  /** correct / total (0 when total is 0). */
  accuracy: number;
  /** 95% Wilson score interval: well-behaved at small n and near 0 or 1, unlike the normal approximation. */
  low: number;
  high: number;
}

/** The Wilson score interval of k successes in n trials (z = 1.96 for 95%). [0, 1] when n is 0. */
export function wilson(k: number, n: number, z = 1.96): { low: number; high: number } {
  if (!(Number.isInteger(k) && Number.isInteger(n) && k >= 0 && k <= n)) throw new Error(`wilson: need integers 0 <= k <= n, got k=${k} n=${n}`);
  if (n === 0) return { low: 0, high: 1 };
  const p = k / n, z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Two models on the same items: how many only A gets right, only B, and the two-sided exact p of that split. */
export interface PairedTest {
  onlyA: number;
  onlyB: number;
  /** McNemar's exact test: under "equally good" each discordant item is a fair coin, so onlyA ~ Binomial(n, 1/2). */
  p: number;
}

/**
 * The paired exact test of two verdict vectors over the same items. Pairing matters: two models scored on the same
 * 500 items differ by far less noise than two independent 500-item samples, so a 4-point gap can be resolved here
 * that the Wilson intervals (one model at a time) would call overlapping.
 */
export function pairedExactTest(a: readonly (0 | 1)[], b: readonly (0 | 1)[]): PairedTest {
  if (a.length !== b.length) throw new Error(`pairedExactTest: ${a.length} verdicts against ${b.length}; score both models on the same items`);
  let onlyA = 0, onlyB = 0;
  a.forEach((v, i) => { if (v !== b[i]) (v === 1 ? onlyA++ : onlyB++); });
  const n = onlyA + onlyB, k = Math.min(onlyA, onlyB);
  if (n === 0) return { onlyA, onlyB, p: 1 };
  // P(X <= k) for X ~ Binomial(n, 1/2), summed in log space (2^-n underflows past n ~ 1000).
  let logTerm = -n * Math.LN2, tail = 0;
  for (let i = 0; i <= k; i++) {
    tail += Math.exp(logTerm);
    logTerm += Math.log((n - i) / (i + 1));
  }
  return { onlyA, onlyB, p: Math.min(1, 2 * tail) };
}

export function accuracyOf(scores: readonly (0 | 1)[]): Accuracy {
  const correct = scores.reduce<number>((a, s) => a + s, 0);
  const total = scores.length;
  return { correct, total, accuracy: total ? correct / total : 0, ...wilson(correct, total) };
}

export interface TaskSummary {
  overall: Accuracy;
  byDomain: Record<string, Accuracy>;
  /** Per dataset-entity (the official summaries' other axis); empty when no item has one. */
  byEntity: Record<string, Accuracy>;
}

function groupAccuracy(rows: readonly ScoredRow[], key: (r: ScoredRow) => string | undefined): Record<string, Accuracy> {
  const groups = new Map<string, (0 | 1)[]>();
  for (const r of rows) {
    const k = key(r);
    if (k !== undefined) (groups.get(k) ?? groups.set(k, []).get(k)!).push(r.score);
  }
  return Object.fromEntries([...groups.keys()].sort().map((k) => [k, accuracyOf(groups.get(k)!)]));
}

/** Per task: overall accuracy, per domain and per dataset-entity (sorted). Tasks with no rows are present, empty. */
export function summarize(rows: readonly ScoredRow[]): Record<Task, TaskSummary> {
  const out = {} as Record<Task, TaskSummary>;
  const anyEntity = rows.some((r) => r.entity !== undefined);
  for (const task of TASKS) {
    const mine = rows.filter((r) => r.task === task);
    out[task] = {
      overall: accuracyOf(mine.map((r) => r.score)),
      byDomain: groupAccuracy(mine, (r) => r.domain),
      // Items without an entity in a file where others have one are grouped as "unknown", as the domain is.
      byEntity: anyEntity ? groupAccuracy(mine, (r) => r.entity ?? 'unknown') : {},
    };
  }
  return out;
}

/** A row of the paper's table: accuracies in percent. */
export interface TableRow {
  name: string;
  perception: number;
  instruction: number;
  reasoning: number;
  /** Reference rows quote the paper; they are never measured here. */
  reference?: boolean;
}

/** The paper's VTBench results (v2 numbers, PAPER.md "Headline results"), for scale: a different benchmark and model size. */
export const PAPER_ROWS: readonly TableRow[] = [
  { name: 'Qwen2.5-VL-7B (paper)', perception: 12.6, instruction: 8.8, reasoning: 31.8, reference: true },
  { name: 'GPT-4o (paper)', perception: 12.6, instruction: 26.0, reasoning: 36.4, reference: true },
  { name: 'V-Thinker-7B (paper)', perception: 18.6, instruction: 31.6, reasoning: 40.4, reference: true },
];

/** A measured row from a summary. */
export function rowOf(name: string, summary: Record<Task, TaskSummary>): TableRow {
  const pc = (t: Task) => 100 * summary[t].overall.accuracy;
  return { name, perception: pc('perception'), instruction: pc('instruction'), reasoning: pc('reasoning') };
}

export interface PaperTable {
  columns: ['model', 'Perception', 'IGI', 'IR'];
  rows: (TableRow & { delta?: { perception: number; instruction: number; reasoning: number } })[];
  markdown: string;
}

const fmt = (v: number) => v.toFixed(1);
const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}`;

/**
 * The paper-format table: rows = models / variants, columns Perception / IGI / IR. Measured rows other than `base`
 * carry deltas against the `base` row (by name); the paper's rows follow (with the paper's own deltas against its
 * base model) unless `reference: false`.
 */
export function paperTable(rows: readonly TableRow[], options: { base?: string; reference?: boolean } = {}): PaperTable {
  const base = options.base === undefined ? undefined : rows.find((r) => r.name === options.base);
  if (options.base !== undefined && !base) throw new Error(`paperTable: no row named ${JSON.stringify(options.base)} (rows: ${rows.map((r) => r.name).join(', ')})`);
  const withDelta = (r: TableRow, b: TableRow | undefined): PaperTable['rows'][number] =>
    b && r !== b ? { ...r, delta: { perception: r.perception - b.perception, instruction: r.instruction - b.instruction, reasoning: r.reasoning - b.reasoning } } : { ...r };
  const measured = rows.map((r) => withDelta(r, base));
  const refs = options.reference === false ? [] : PAPER_ROWS.map((r) => withDelta(r, PAPER_ROWS[0]));
  const all = [...measured, ...refs];
  const cell = (v: number, d: number | undefined) => (d === undefined ? fmt(v) : `${fmt(v)} (${signed(d)})`);
  const lines = [
    '| model | Perception | IGI | IR |',
    '|---|---|---|---|',
    ...all.map((r) => `| ${r.name}${r.name === options.base ? ' (base)' : ''} | ${cell(r.perception, r.delta?.perception)} | ${cell(r.instruction, r.delta?.instruction)} | ${cell(r.reasoning, r.delta?.reasoning)} |`),
  ];
  return { columns: ['model', 'Perception', 'IGI', 'IR'], rows: all, markdown: lines.join('\n') + '\n' };
}
