// A validation benchmark for choosing settings without touching VTBench: every item of the held-out pool that the
// benchmark does not use. The pool is 90% geometry while VTBench is balanced over domains (half of it charts), so a
// pool-weighted score cannot see chart reading; `score` therefore also reports each task re-weighted per question
// family as VTBench draws its items (a design property of the benchmark, not its outcomes).
//   node --import tsx bench/validation-set.ts build HELDOUT_JSONL VTBENCH_JSON OUT_DIR
//   node --import tsx bench/validation-set.ts score OUT_DIR OUTPUTS_A [OUTPUTS_B]
// OUTPUTS_* come from `vthinker eval --model M --bench OUT_DIR/vtbench.json --out OUTPUTS`; with two, the items are
// also paired (McNemar's exact test), as `vthinker judge --against` does.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pairReports } from '../vthinker/bench/cli.ts';
import { buildItems } from '../vthinker/bench/items.ts';
import { loadBenchJson, writeBenchJson } from '../vthinker/bench/layout.ts';
import { judgeOutputs, type JudgeReport } from '../vthinker/bench/outputs.ts';
import { TASKS, type Task } from '../vthinker/bench/types.ts';
import type { Sample } from '../vthinker/synth/types.ts';
import { countBy } from '../vthinker/util/count.ts';
import { readJsonl } from '../vthinker/util/jsonl.ts';
import { familyWeighted } from './family-weights.ts';

const USAGE = 'usage: bench/validation-set.ts build HELDOUT_JSONL VTBENCH_JSON OUT_DIR | score OUT_DIR OUTPUTS_A [OUTPUTS_B]';
const [command, ...args] = process.argv.slice(2);

if (command === 'build' && args.length === 3) {
  const [heldout, benchFile, out] = args as [string, string, string];
  const bench = await loadBenchJson(benchFile);
  const ids = new Set(bench.map((i) => i.id));
  const items = buildItems(readJsonl<Sample>(heldout)).items.filter((i) => !ids.has(i.id));
  writeBenchJson(join(out, 'vtbench.json'), items);
  writeFileSync(join(out, 'benchmark-families.json'), JSON.stringify(countBy(bench, (i) => i.family ?? 'unknown'), null, 1) + '\n');
  console.log(`${items.length} validation items outside the benchmark's ${ids.size} -> ${join(out, 'vtbench.json')}`);
  console.log('by family:', JSON.stringify(countBy(items, (i) => i.family ?? 'unknown')));
} else if (command === 'score' && (args.length === 2 || args.length === 3)) {
  const [dir, a, b] = args as [string, string, string | undefined];
  const file = join(dir, 'vtbench.json');
  const family = new Map((await loadBenchJson(file)).map((i) => [i.id, i.family ?? 'unknown']));
  const weights = JSON.parse(readFileSync(join(dir, 'benchmark-families.json'), 'utf8')) as Record<string, number>;
  /** Per task: plain accuracy, and the mean of per-family accuracies weighted by the benchmark's family counts. */
  const scores = (r: JudgeReport, task: Task) => {
    const rows = r.rows.filter((x) => x.task === task);
    const per = new Map<string, [number, number]>();
    for (const x of rows) {
      const f = family.get(x.id)!;
      const [right, n] = per.get(f) ?? [0, 0];
      per.set(f, [right + x.score, n + 1]);
    }
    return { plain: rows.reduce((s, x) => s + x.score, 0) / rows.length, weighted: familyWeighted(per, weights), n: rows.length };
  };
  const reports = [await judgeOutputs(file, a), ...(b ? [await judgeOutputs(file, b)] : [])];
  const paired = b ? pairReports(reports[0]!, reports[1]!) : undefined;
  for (const task of TASKS) {
    const each = reports.map((r) => scores(r, task));
    const cells = each.map((s) => `${(100 * s.plain).toFixed(1)} (benchmark-weighted ${(100 * s.weighted).toFixed(1)})`);
    const p = paired?.[task];
    console.log(`${task.padEnd(12)} ${cells.join('  vs  ')}${p ? `  paired ${p.onlyA} vs ${p.onlyB}, p = ${p.p.toPrecision(3)}` : ''}  n=${each[0]!.n}`);
  }
} else {
  console.error(USAGE);
  process.exit(2);
}
