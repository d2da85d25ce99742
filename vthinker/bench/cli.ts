// `vthinker judge --bench FILE --outputs DIR`: scores outputs produced elsewhere (any model) on a benchmark file in
// the real release's JSON layout or its parquet file, and prints the per-task table with 95% intervals.
import { parseArgs } from 'node:util';
import { judgeOutputs } from './outputs.ts';
import { TASKS } from './types.ts';

export const JUDGE_USAGE = 'vthinker judge --bench FILE(.json|.parquet) --outputs DIR [--json]';

export async function judgeCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { bench: { type: 'string' }, outputs: { type: 'string' }, json: { type: 'boolean' }, profile: { type: 'string' } } });
  if (!values.bench || !values.outputs) {
    console.error(`usage: ${JUDGE_USAGE}`);
    return 2;
  }
  const report = await judgeOutputs(values.bench, values.outputs);
  if (values.json) {
    console.log(JSON.stringify({ summary: report.summary, missing: report.missing, agreement: report.agreement }, null, 2));
    return 0;
  }
  for (const task of TASKS) {
    const s = report.summary[task].overall;
    console.log(`${task.padEnd(12)} ${(100 * s.accuracy).toFixed(1).padStart(5)}%  [${(100 * s.low).toFixed(1)}, ${(100 * s.high).toFixed(1)}]  n=${s.total}  missing=${report.missing[task]}`);
  }
  return 0;
}
