// The hand-over from perception alignment to the interactive curriculum: the perception checkpoint, shrunk and
// perturbed (vthinker/train/warm-start.ts) so that rl1 can still learn from it what rl1-noperc learns from scratch.
import { dir, from, json, stage } from '@vthinker/engine';

export default stage({
  name: 'warm-start',
  description: 'shrink and perturb the perception checkpoint for rl1 (Ash & Adams 2020)',
  module: import.meta.url,
  params: ['seed', 'warm_start'],
  inputs: { model: from('perception', 'model') },
  outputs: { model: dir('model'), report: json('report.json') },
  async run(ctx) {
    const { initCompute } = await import('../vthinker/compute/setup.ts');
    const { warmStart } = await import('../vthinker/train/warm-start.ts');
    type WarmStartParams = import('../vthinker/train/warm-start.ts').WarmStartParams;

    await initCompute();
    const params = ctx.param<WarmStartParams>('warm_start'); // shrinkPerturb rejects bad values, saying what to set
    const report = warmStart(ctx.input('model'), ctx.output('model'), params, ctx.param<number>('seed'));
    ctx.writeJson('report', { ...params, ...report });
    ctx.metric('norm_in', +report.norm_in.toFixed(3));
    ctx.metric('norm_out', +report.norm_out.toFixed(3));
    ctx.metric('norm_fresh', +report.norm_fresh.toFixed(3));
  },
});
