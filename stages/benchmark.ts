// The benchmark's items: VTBench's three tasks (Perception, Instruction-Guided Interaction, Interactive Reasoning)
// on images of the flywheel's held-out pool, written in the real release's JSON layout, with a self-check of the
// judges on ground-truth outputs (which must all score 100%). The models are scored by eval@<variant>.
import { dir, from, json, stage } from '@vthinker/engine';

export default stage({
  name: 'benchmark',
  description: 'VTBench items from the held-out pool (JSON layout) + judge self-check',
  module: import.meta.url,
  params: ['seed', 'vtbench.items'],
  inputs: { heldout: from('verify', 'heldout') },
  outputs: { bench: dir('bench'), report: json('report.json') },
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
    ctx.progress(2, 2);
  },
});
