// The outputs of one judged run, the same from `vthinker judge` and `vthinker eval`: per-item verdicts
// (results.jsonl), summaries per task, domain and dataset-entity with 95% Wilson intervals, what the loader skipped,
// judge failures and agreement, and the paper-format table (summary.json, table.md; the same object for --json).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JudgedRow, JudgeReport } from './outputs.ts';
import type { SkippedTask } from './records.ts';
import { type Accuracy, paperTable, rowOf, type TableRow } from './score.ts';
import { TASKS, type Task } from './types.ts';

/** One line of results.jsonl: an (item, task) and its verdict. */
export interface ResultLine {
  id: string;
  task: Task;
  domain: string;
  entity?: string;
  verdict: 0 | 1;
  judge: string;
  missing: boolean;
  /** The judge could not decide (counted in judgeFailures; the verdict is 0). */
  failed?: boolean;
  reasons: string[];
  metrics?: Record<string, number>;
  details?: Record<string, string>;
  second?: JudgedRow['second'];
  geometric?: { verdict: 0 | 1; reasons: string[] };
}

export function resultLines(report: JudgeReport): ResultLine[] {
  return report.rows.map((r) => {
    const line: ResultLine = { id: r.id, task: r.task, domain: r.domain, verdict: r.score, judge: r.judge, missing: r.missing, reasons: r.reasons };
    if (r.entity !== undefined) line.entity = r.entity;
    if (r.failed) line.failed = true;
    if (r.metrics) line.metrics = r.metrics;
    if (r.details) line.details = r.details;
    if (r.second) line.second = r.second;
    if (r.geometric) line.geometric = { verdict: r.geometric.score, reasons: r.geometric.reasons };
    return line;
  });
}

/** What the loader left out, per task (null: whole items): a count, the first ids, and how often each field was why. */
export interface SkippedSummary {
  task: Task | 'item';
  count: number;
  firstIds: string[];
  fields: Record<string, number>;
}

export function summarizeSkipped(skipped: readonly SkippedTask[], show = 5): SkippedSummary[] {
  return ([...TASKS, 'item'] as const).flatMap((task) => {
    const mine = skipped.filter((s) => (s.task ?? 'item') === task);
    if (!mine.length) return [];
    const fields: Record<string, number> = {};
    for (const s of mine) fields[`${s.field}: ${s.reason}`] = (fields[`${s.field}: ${s.reason}`] ?? 0) + 1;
    return [{ task, count: mine.length, firstIds: mine.slice(0, show).map((s) => s.id), fields }];
  });
}

/** The paper's column names. */
export const COLUMN: Record<Task, string> = { perception: 'Perception', instruction: 'Instruction-Guided Interaction', reasoning: 'Interactive Reasoning' };

export interface RunSummary {
  name: string;
  tasks: Record<Task, Accuracy & { missing: number; judgeFailures: number; byDomain: Record<string, Accuracy>; byEntity: Record<string, Accuracy> }>;
  skipped: SkippedSummary[];
  /** Image vs geometric judge (our items with truth). */
  crossCheck: JudgeReport['agreement'];
  /** With two judges: the second's name, accuracies and the per-task agreement of the two. */
  second?: { judge: string; tasks: Record<Task, Accuracy>; agreement: Record<Task, { agree: number; total: number; rate: number }> };
  /** Perception / IGI / IR in percent, as data and Markdown, the paper's rows after ours. */
  table: { rows: TableRow[]; markdown: string };
}

export function runSummary(report: JudgeReport, name: string): RunSummary {
  const tasks = Object.fromEntries(TASKS.map((t) => [t, {
    ...report.summary[t].overall, missing: report.missing[t], judgeFailures: report.judgeFailures[t],
    byDomain: report.summary[t].byDomain, byEntity: report.summary[t].byEntity,
  }])) as RunSummary['tasks'];
  const rows = [rowOf(name, report.summary)];
  const out: RunSummary = { name, tasks, skipped: summarizeSkipped(report.skipped), crossCheck: report.agreement, table: { rows, markdown: '' } };
  if (report.second) {
    const s = report.second;
    out.second = {
      judge: s.judge,
      tasks: Object.fromEntries(TASKS.map((t) => [t, s.summary[t].overall])) as Record<Task, Accuracy>,
      agreement: Object.fromEntries(TASKS.map((t) => [t, { ...s.agreement[t], rate: s.agreement[t].total ? s.agreement[t].agree / s.agreement[t].total : 0 }])) as NonNullable<RunSummary['second']>['agreement'],
    };
    rows.push(rowOf(`${name} (${s.judge} judge)`, s.summary));
  }
  const table = paperTable(rows);
  out.table = { rows: table.rows, markdown: table.markdown };
  return out;
}

const pct = (v: number) => (100 * v).toFixed(1);
const acc = (a: Accuracy) => `${pct(a.accuracy).padStart(5)}%  [${pct(a.low)}, ${pct(a.high)}]  ${a.correct}/${a.total}`;

/** The terminal report: per task with intervals, per domain and entity, skips, judge failures and agreement, the table. */
export function summaryText(s: RunSummary): string {
  const lines: string[] = [];
  for (const t of TASKS) {
    const x = s.tasks[t];
    lines.push(`${COLUMN[t].padEnd(31)} ${acc(x)}  missing ${x.missing}${x.judgeFailures ? `  judge failures ${x.judgeFailures}` : ''}`);
    for (const [label, group] of [['domain', x.byDomain], ['entity', x.byEntity]] as const) {
      for (const [k, a] of Object.entries(group)) lines.push(`  ${label} ${k.padEnd(24)} ${acc(a)}`);
    }
  }
  for (const k of s.skipped) {
    const why = Object.entries(k.fields).map(([f, n]) => `${f} x${n}`).join(', ');
    lines.push(`skipped ${k.task === 'item' ? 'whole items' : COLUMN[k.task]}: ${k.count} (${why}); first: ${k.firstIds.join(', ')}`);
  }
  if (s.second) {
    lines.push(`agreement with the ${s.second.judge} judge (items both judges decided):`);
    for (const t of TASKS) {
      const a = s.second.agreement[t];
      lines.push(`  ${COLUMN[t].padEnd(31)} ${a.agree}/${a.total}${a.total ? ` (${pct(a.rate)}%)` : ''}; ${s.second.judge} judge alone ${acc(s.second.tasks[t])}`);
    }
  }
  lines.push('', s.table.markdown);
  return lines.join('\n');
}

/** A one-line progress bar for stderr, redrawn in place (`\r`): done/total, rate and time left. */
export function progressLine(done: number, total: number, startedMs: number, note = ''): string {
  const width = 24, filled = Math.round((width * done) / Math.max(1, total));
  const rate = done / Math.max(1e-3, (performance.now() - startedMs) / 1000);
  const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${rate.toFixed(1)}/s eta ${eta}s ${note}   `;
}

/** Writes results.jsonl, summary.json and table.md into `dir`; returns their paths. */
export function writeRunReport(report: JudgeReport, dir: string, name: string): { files: string[]; summary: RunSummary } {
  mkdirSync(dir, { recursive: true });
  const summary = runSummary(report, name);
  const files = [join(dir, 'results.jsonl'), join(dir, 'summary.json'), join(dir, 'table.md')];
  writeFileSync(files[0]!, resultLines(report).map((l) => JSON.stringify(l)).join('\n') + '\n');
  writeFileSync(files[1]!, JSON.stringify(summary, null, 2) + '\n');
  writeFileSync(files[2]!, summary.table.markdown);
  return { files, summary };
}
