// VTBench: the held-out benchmark (Perception, Instruction-Guided Interaction, Interactive Reasoning). Today the
// stage builds the benchmark from the held-out pool in the real release's JSON layout and checks its judges on
// ground-truth outputs; scoring the trained variants (base, m0, m1, m2) comes with the training stages.
import { dir, from, json, stage } from 'vthinker/engine';

export default stage({
  name: 'vtbench',
  description: 'held-out benchmark: perception, instruction-guided interaction, interactive reasoning',
  module: import.meta.url,
  params: ['seed', 'vtbench'],
  inputs: { heldout: from('verify', 'heldout'), policy: from('rl2', 'plan') },
  outputs: { bench: dir('bench'), report: json('report.json'), plan: json('plan.json') },
  resources: { cpu: 1, memoryMb: 2048 },
  async run(ctx) {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { buildItems, selectItems } = await import('../vthinker/bench/items.ts');
    const { writeBenchJson } = await import('../vthinker/bench/layout.ts');
    const { judgeItems, renderOracleOutputs } = await import('../vthinker/bench/outputs.ts');
    const { readJsonl } = await import('../vthinker/util/jsonl.ts');
    const { countBy } = await import('../vthinker/util/count.ts');
    const { recordPlan } = await import('./pending.ts');
    type Sample = import('../vthinker/synth/types.ts').Sample;
    const { items: pool, skipped } = buildItems(readJsonl<Sample>(ctx.input('heldout')));
    const items = selectItems(pool, { perTask: Math.min(ctx.param<number>('vtbench.items'), pool.length), seed: ctx.param<number>('seed') });
    writeBenchJson(join(ctx.output('bench'), 'vtbench.json'), items);
    ctx.progress(1, 2, 'judges on ground-truth outputs');
    // A self-check of the judges, not a model score: outputs derived from the ground truth must all score 1.
    const scratch = mkdtempSync(join(tmpdir(), 'vtbench-oracle-'));
    try {
      renderOracleOutputs(items, scratch);
      const oracle = await judgeItems(items, scratch);
      const pct = (task: 'perception' | 'instruction' | 'reasoning') => +(100 * oracle.summary[task].overall.accuracy).toFixed(1);
      ctx.writeJson('report', {
        items: items.length,
        pool: pool.length,
        skipped: skipped.length,
        byDomain: countBy(items, (i) => i.domain),
        byFamily: countBy(items, (i) => i.family ?? 'unknown'),
        judgeSelfCheck: { perception: pct('perception'), instruction: pct('instruction'), reasoning: pct('reasoning'), agreement: oracle.agreement },
      });
      ctx.metric('items', items.length);
      ctx.metric('judge_selfcheck_perception', pct('perception'));
      ctx.metric('judge_selfcheck_igi', pct('instruction'));
      ctx.metric('judge_selfcheck_ir', pct('reasoning'));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    recordPlan(ctx, 'scoring the trained variants comes with the VTBench issue', ['heldout', 'policy']);
    ctx.progress(2, 2);
  },
});
