// `vthinker judge --bench FILE --outputs DIR`: scores outputs produced elsewhere (any model) on a benchmark file in
// the official layouts or ours, and prints and writes the run's results (run-report.ts) with 95% intervals.
// `--against DIR2` judges a second set of outputs on the same file and pairs the two item by item (McNemar's exact
// test): whether one model is better than another, beyond what the items' luck of the draw explains.
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { withUsageErrors } from '../cli/usage.ts';
import { JUDGE_ARG_HELP, JUDGE_ARG_OPTIONS, judgeSetupFrom, loadOptionsFrom, scoreRun } from './judge-setup.ts';
import { readBench } from './layout.ts';
import type { JudgeReport } from './outputs.ts';
import { COLUMN, progressLine, resultLines, summaryText } from './run-report.ts';
import { pairedExactTest, type PairedTest } from './score.ts';
import { TASKS, type Task } from './types.ts';

export const JUDGE_USAGE = 'vthinker judge --bench FILE(.json|.jsonl|.parquet) --outputs DIR [--results DIR] [--against DIR2] [--judge rules|model|both ...] [--json]';

export const JUDGE_HELP = `usage: ${JUDGE_USAGE}

Scores model outputs (any model) on a VTBench file: the official eval scripts' JSON (or JSON lines), the Hugging Face
parquet file, or our own JSON. Outputs folder: <id>.perception.png (+ .txt), <id>.instruction.png (+ .txt),
<id>.reasoning.txt (see vthinker/bench/README.md). Prints per task, domain and dataset-entity with 95% intervals and
the paper-format table; writes results.jsonl (per-item verdicts), summary.json and table.md into --results.

  --bench FILE               the benchmark
  --outputs DIR              the model's outputs
  --results DIR              where results.jsonl, summary.json, table.md go (default: the outputs folder)
  --name NAME                the run's name in the table (default: the outputs folder's name)
  --against DIR2             judge a second set of outputs and pair the two item by item (McNemar's exact test)
  --json                     print the summary, the per-item verdicts and the table as one JSON object
${JUDGE_ARG_HELP}

Exit codes: 0 judged; 2 a usage or benchmark file error (one line naming file, item and field).`;

/** Per task, the paired test of two judge reports on the same benchmark (a missing output counts as wrong). */
export function pairReports(a: JudgeReport, b: JudgeReport): Record<Task, PairedTest> {
  return Object.fromEntries(TASKS.map((task) => {
    const verdicts = (r: JudgeReport) => new Map(r.rows.filter((x) => x.task === task).map((x) => [x.id, x.score]));
    const va = verdicts(a), vb = verdicts(b);
    const ids = [...va.keys()].sort();
    return [task, pairedExactTest(ids.map((id) => va.get(id)!), ids.map((id) => vb.get(id) ?? 0))];
  })) as Record<Task, PairedTest>;
}

export async function judgeCommand(args: string[]): Promise<number> {
  return withUsageErrors(async () => {
    const { values } = parseArgs({ args, options: {
      bench: { type: 'string' }, outputs: { type: 'string' }, against: { type: 'string' }, results: { type: 'string' }, name: { type: 'string' },
      json: { type: 'boolean' }, profile: { type: 'string' }, help: { type: 'boolean', short: 'h' }, ...JUDGE_ARG_OPTIONS,
    } });
    if (values.help) return (console.log(JUDGE_HELP), 0);
    if (!values.bench || !values.outputs) {
      console.error(`usage: ${JUDGE_USAGE}\n(vthinker judge --help for the options)`);
      return 2;
    }
    const setup = judgeSetupFrom(values);
    const bench = await readBench(values.bench, loadOptionsFrom(values));
    const started = performance.now();
    const progress = setup.mode === 'rules' || values.json ? undefined : (done: number, total: number) => process.stderr.write(progressLine(done, total, started, 'judged'));
    const name = values.name ?? basename(resolve(values.outputs));
    const run = await scoreRun(bench, values.outputs, setup, { resultsDir: values.results ?? values.outputs, name, onProgress: progress });
    if (progress) process.stderr.write('\n');
    const other = values.against ? await scoreRun(bench, values.against, setup, { name: basename(resolve(values.against)) }) : undefined;
    const paired = other ? pairReports(run.report, other.report) : undefined;
    if (values.json) {
      const out = { ...run.summary, results: resultLines(run.report), files: run.files };
      console.log(JSON.stringify({ ...out, ...(other ? { against: other.summary, paired } : {}) }, null, 2));
      return 0;
    }
    console.log(summaryText(run.summary));
    if (other && paired) {
      console.log(`against ${values.against}:`);
      console.log(summaryText(other.summary));
      console.log(`paired on the same items (McNemar's exact test):`);
      for (const task of TASKS) {
        const t = paired[task];
        console.log(`${COLUMN[task].padEnd(31)} only --outputs right ${t.onlyA}, only --against right ${t.onlyB}, p = ${t.p.toPrecision(3)}`);
      }
    }
    console.log(`per-item verdicts: ${run.files[0]}`);
    return 0;
  });
}
