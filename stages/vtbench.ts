// VTBench's results: the paper-format table over the variants (base, M0 full curriculum, M1 without RL, M2 without
// perception alignment) with 95% intervals and deltas against the base, paired exact tests of M0 against the others,
// per-domain and per-family scores, and a gallery of M0's successes and failures (original | model's edit | ground
// truth). Metrics `<variant>.<task>` in percent, `p_m0_vs_<variant>.<task>` the paired tests' p-values.
import { dir, file, from, json, stage } from '@vthinker/engine';
import { VARIANT_NAMES } from './eval.ts';

export default stage({
  name: 'vtbench',
  description: 'the paper-format table: base vs M0/M1/M2 on Perception, IGI, IR (+ per domain, gallery)',
  module: import.meta.url,
  inputs: {
    bench: from('benchmark', 'bench'),
    m0Outputs: from('eval@m0', 'outputs'),
    ...Object.fromEntries(VARIANT_NAMES.map((v) => [v, from(`eval@${v}`, 'scores')])),
  },
  outputs: { scores: json('scores.json'), table: file('table.md'), gallery: dir('gallery') },
  resources: { cpu: 1, memoryMb: 2048 },
  async run(ctx) {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { resultsTable, writeGallery } = await import('../vthinker/bench/results.ts');
    const { loadBench } = await import('../vthinker/bench/layout.ts');
    type Scores = import('../vthinker/bench/evaluate-model.ts').BenchScores & { variant: string };
    const scores = VARIANT_NAMES.map((v) => JSON.parse(readFileSync(ctx.input(v), 'utf8')) as Scores);
    const items = await loadBench(join(ctx.input('bench'), 'vtbench.json'));
    const table = resultsTable(scores, items);
    ctx.writeJson('scores', table.json);
    writeFileSync(ctx.output('table'), table.markdown);
    writeGallery(items, ctx.input('m0Outputs'), scores.find((s) => s.variant === 'm0')!, ctx.output('gallery'));
    for (const s of scores) for (const [task, t] of Object.entries(s.tasks)) ctx.metric(`${s.variant}.${task}`, t.score);
    const m0 = scores.find((s) => s.variant === 'm0')!, base = scores.find((s) => s.variant === 'base')!;
    for (const task of ['perception', 'igi', 'ir'] as const) ctx.metric(`m0_minus_base.${task}`, +(m0.tasks[task].score - base.tasks[task].score).toFixed(1));
    // The paper's shape as tests, not only as differences: M0 against the base and each ablation on the same items.
    for (const c of table.json.paired) ctx.metric(`p_${c.a}_vs_${c.b}.${c.task}`, +c.p.toPrecision(3));
  },
});
