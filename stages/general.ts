// The general benchmark's results (the paper's MathVision / We-Math ablation, PAPER.md): every variant on the
// held-out general questions, overall and on question x figure combinations no training set has, with 95% intervals,
// deltas against the base and exact paired tests against the base and M1. Metrics `<variant>` (percent, so
// `vthinker metrics` shows general.<variant>), `<variant>.heldout_combo`, `p_<a>_vs_<b>` and the RL-seed signs.
import { file, from, json, stage } from '@vthinker/engine';
import { VARIANT_NAMES } from './eval.ts';

export default stage({
  name: 'general',
  description: 'the general benchmark table: base vs M0 (3 RL seeds) / M1 / M2 / rft, paired tests against base and M1',
  module: import.meta.url,
  inputs: {
    items: from('curriculum-data', 'generalBench'),
    ...Object.fromEntries(VARIANT_NAMES.map((v) => [v, from(`eval@${v}`, 'general')])),
  },
  outputs: { scores: json('scores.json'), table: file('table.md') },
  resources: { cpu: 1, memoryMb: 2048 },
  async run(ctx) {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const { readJsonl } = await import('../vthinker/util/jsonl.ts');
    const { generalComparisons, generalTable } = await import('../vthinker/general/evaluate.ts');
    const { VARIANT_LABELS } = await import('../vthinker/bench/variants.ts');
    type GeneralScores = import('../vthinker/general/evaluate.ts').GeneralScores;
    type GeneralItem = import('../vthinker/general/data.ts').GeneralItem;
    const items = readJsonl<GeneralItem>(ctx.input('items'));
    const scores = Object.fromEntries(VARIANT_NAMES.map((v) => [v, JSON.parse(readFileSync(ctx.input(v), 'utf8')) as GeneralScores]));
    const comparisons = generalComparisons(scores, items);
    ctx.writeJson('scores', {
      variants: Object.fromEntries(Object.entries(scores).map(([v, s]) => [v, { overall: s.overall, heldoutCombo: s.heldoutCombo, heldinCombo: s.heldinCombo, families: s.families, toolUse: s.toolUse }])),
      paired: comparisons,
    });
    writeFileSync(ctx.output('table'), generalTable(scores, VARIANT_LABELS, comparisons));
    for (const [v, s] of Object.entries(scores)) {
      ctx.metric(v, s.overall.score);
      ctx.metric(`${v}.heldout_combo`, s.heldoutCombo.score);
    }
    for (const c of comparisons) if (c.subset === 'all') ctx.metric(`p_${c.a}_vs_${c.b}`, +c.p.toPrecision(3));
    // The goal, as signs: M0 above M1 at each RL seed.
    for (const v of ['m0', 'm0s1', 'm0s2']) ctx.metric(`${v}_minus_m1`, +(scores[v]!.overall.score - scores.m1!.overall.score).toFixed(1));
  },
});
