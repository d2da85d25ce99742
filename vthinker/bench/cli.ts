// `vthinker judge --bench FILE --outputs DIR`: scores outputs produced elsewhere (any model) on a benchmark file in
// the real release's JSON layout or its parquet file, and prints the per-task table with 95% intervals.
// `--against DIR2` judges a second set of outputs on the same file and pairs the two item by item (McNemar's exact
// test): whether one model is better than another, beyond what the items' luck of the draw explains.
import { parseArgs } from 'node:util';
import { judgeOutputs, type JudgeReport } from './outputs.ts';
import { pairedExactTest, type PairedTest } from './score.ts';
import { TASKS, type Task } from './types.ts';

export const JUDGE_USAGE = 'vthinker judge --bench FILE(.json|.parquet) --outputs DIR [--against DIR2] [--json]';

/** Per task, the paired test of two judge reports on the same benchmark (a missing output counts as wrong). */
export function pairReports(a: JudgeReport, b: JudgeReport): Record<Task, PairedTest> {
  return Object.fromEntries(TASKS.map((task) => {
    const verdicts = (r: JudgeReport) => new Map(r.rows.filter((x) => x.task === task).map((x) => [x.id, x.score]));
    const va = verdicts(a), vb = verdicts(b);
    const ids = [...va.keys()].sort();
    return [task, pairedExactTest(ids.map((id) => va.get(id)!), ids.map((id) => vb.get(id) ?? 0))];
  })) as Record<Task, PairedTest>;
}

const scoreLine = (report: JudgeReport, task: Task) => {
  const s = report.summary[task].overall;
  return `${(100 * s.accuracy).toFixed(1).padStart(5)}%  [${(100 * s.low).toFixed(1)}, ${(100 * s.high).toFixed(1)}]  n=${s.total}  missing=${report.missing[task]}`;
};

export async function judgeCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { bench: { type: 'string' }, outputs: { type: 'string' }, against: { type: 'string' }, json: { type: 'boolean' }, profile: { type: 'string' } } });
  if (!values.bench || !values.outputs) {
    console.error(`usage: ${JUDGE_USAGE}`);
    return 2;
  }
  const report = await judgeOutputs(values.bench, values.outputs);
  const other = values.against ? await judgeOutputs(values.bench, values.against) : undefined;
  const paired = other ? pairReports(report, other) : undefined;
  if (values.json) {
    const summary = (r: JudgeReport) => ({ summary: r.summary, missing: r.missing, agreement: r.agreement });
    console.log(JSON.stringify({ ...summary(report), ...(other ? { against: summary(other), paired } : {}) }, null, 2));
    return 0;
  }
  for (const task of TASKS) console.log(`${task.padEnd(12)} ${scoreLine(report, task)}`);
  if (other && paired) {
    console.log(`\nagainst ${values.against}:`);
    for (const task of TASKS) console.log(`${task.padEnd(12)} ${scoreLine(other, task)}`);
    console.log(`\npaired on the same items (McNemar's exact test):`);
    for (const task of TASKS) {
      const t = paired[task];
      console.log(`${task.padEnd(12)} only --outputs right ${t.onlyA}, only --against right ${t.onlyB}, p = ${t.p.toPrecision(3)}`);
    }
  }
  return 0;
}
