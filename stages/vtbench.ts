// VTBench's results: the paper-format table over the variants (base = the pretrained generalist, M0 full curriculum
// at three RL seeds, M1 without RL, M2 without perception alignment, the rft control) with 95% intervals and deltas
// against the base, paired exact tests of M0 against the others, per-domain and per-family scores, IR on the held-out
// concept combinations and on depth-2/3 items apart, and a gallery of M0's successes and failures. Metrics
// `<variant>.<task>` in percent, `p_m0_vs_<variant>.<task>` the paired tests' p-values.
import { dir, file, from, json, stage } from '@vthinker/engine';
import { VARIANT_NAMES } from './eval.ts';

export default stage({
  name: 'vtbench',
  description: 'the paper-format table: base vs M0/M1/M2/rft on Perception, IGI, IR (+ IR subsets, per domain, gallery)',
  module: import.meta.url,
  inputs: {
    bench: from('benchmark', 'bench'),
    heldout: from('verify', 'heldout'), split: from('verify', 'report'),
    m0Outputs: from('eval@m0', 'outputs'),
    ...Object.fromEntries(VARIANT_NAMES.map((v) => [v, from(`eval@${v}`, 'scores')])),
  },
  outputs: { scores: json('scores.json'), table: file('table.md'), gallery: dir('gallery') },
  resources: { cpu: 1, memoryMb: 2048 },
  async run(ctx) {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { resultsTable, writeGallery, irSubsets } = await import('../vthinker/bench/results.ts');
    const { loadBench } = await import('../vthinker/bench/layout.ts');
    const { readJsonl } = await import('../vthinker/util/jsonl.ts');
    type Scores = import('../vthinker/bench/evaluate-model.ts').BenchScores & { variant: string };
    type Sample = import('../vthinker/synth/types.ts').Sample;
    const scores = VARIANT_NAMES.map((v) => JSON.parse(readFileSync(ctx.input(v), 'utf8')) as Scores);
    const items = await loadBench(join(ctx.input('bench'), 'vtbench.json'));
    const table = resultsTable(scores, items);
    const combos = new Set((JSON.parse(readFileSync(ctx.input('split'), 'utf8')) as { split: { heldOutCombos: string[] } }).split.heldOutCombos);
    const subsets = irSubsets(scores, readJsonl<Sample>(ctx.input('heldout')), combos, items.map((i) => i.id));
    ctx.writeJson('scores', { ...table.json, irSubsets: subsets.json });
    writeFileSync(ctx.output('table'), table.markdown + '\n' + subsets.markdown);
    writeGallery(items, ctx.input('m0Outputs'), scores.find((s) => s.variant === 'm0')!, ctx.output('gallery'));
    for (const s of scores) for (const [task, t] of Object.entries(s.tasks)) ctx.metric(`${s.variant}.${task}`, t.score);
    for (const r of subsets.json.rows) for (const [k, v] of Object.entries(r.scores)) ctx.metric(`${r.variant}.ir_${k}`, v.score);
    const m0 = scores.find((s) => s.variant === 'm0')!, base = scores.find((s) => s.variant === 'base')!;
    for (const task of ['perception', 'igi', 'ir'] as const) ctx.metric(`m0_minus_base.${task}`, +(m0.tasks[task].score - base.tasks[task].score).toFixed(1));
    // The paper's shape as tests, not only as differences: M0 against the base and each ablation on the same items.
    for (const c of table.json.paired) ctx.metric(`p_${c.a}_vs_${c.b}.${c.task}`, +c.p.toPrecision(3));
  },
});
