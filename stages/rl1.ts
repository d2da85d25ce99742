// Stage 1 of the interactive framework: cold-start SFT on the verified interactive trajectories (sandbox outputs
// masked, final rounds only for multi-call trajectories), from the perception checkpoint (`rl1`) or from scratch
// (`rl1-noperc`, the ablation without perception alignment). The direct-answer base model trains here too.
import { from, stage, type InputRef } from '@vthinker/engine';
import { curriculumOutputs, outputPaths, TRAINING_STAGE, workersFor } from './train-stage.ts';

export interface ColdStartStage {
  name: string;
  description: string;
  /** The starting weights (perception's model), or none: from scratch. */
  init?: InputRef;
  /** The base model: reasoning questions answered directly (no call). */
  direct?: boolean;
  /** The params block (rl1 or base). */
  block: 'rl1' | 'base';
}

export function coldStartStage(s: ColdStartStage) {
  return stage({
    name: s.name,
    description: s.description,
    module: import.meta.url,
    params: ['seed', 'model', s.block],
    inputs: { train: from('verify', 'train'), ...(s.init ? { init: s.init } : {}) },
    outputs: curriculumOutputs(),
    ...TRAINING_STAGE,
    async run(ctx) {
      const { initCompute } = await import('../vthinker/compute/setup.ts');
      const { readJsonl } = await import('../vthinker/util/jsonl.ts');
      const { curriculumTokenizer, policyConfigOf, recordTraining } = await import('./training.ts');
      const { trainColdStart } = await import('../vthinker/train/cold-start.ts');
      type Sample = import('../vthinker/synth/types.ts').Sample;
      type ColdStartParams = import('../vthinker/train/cold-start.ts').ColdStartParams;

      await initCompute();
      const params = ctx.param<ColdStartParams>(s.block);
      const tokenizer = curriculumTokenizer();
      const report = await trainColdStart({
        samples: readJsonl<Sample>(ctx.input('train')), tokenizer, params, seed: ctx.param<number>('seed'), workers: workersFor(ctx, params.batch_size),
        model: policyConfigOf(tokenizer, ctx.param('model')),
        ...(s.init ? { init: ctx.input('init') } : {}),
        direct: s.direct ?? false, stageName: s.name,
        out: outputPaths(ctx, ['model', 'curve', 'eval', 'rollouts', 'sheets']),
        checkpointDir: ctx.checkpointDir,
        onProgress: (done, total, note) => ctx.progress(done, total, note),
      });
      recordTraining(ctx, report, report.computeId);
      ctx.metric('loss_first', +report.lossFirst.toFixed(4));
      ctx.metric('loss_final', +report.lossFinal.toFixed(4));
      ctx.metric('samples_per_s', +report.samplesPerSec.toFixed(1));
      ctx.metric('examples', report.examples.total!);
      // Reading the gold construction's view vs the family answer prior: is reasoning limited by drawing or reading?
      ctx.metric('reading_accuracy_after', +report.reading.accuracy.toFixed(4));
      ctx.metric('reading_prior', +report.reading.prior.toFixed(4));
      // Own-view rollouts (curriculum/own-views.ts): how the policy of `own_views.from_step` answered from its own views.
      if (report.ownViews) {
        ctx.metric('own_view_answer_accuracy', +report.ownViews.answer_accuracy.toFixed(4));
        ctx.metric('own_view_examples', report.ownViews.examples);
        ctx.metric('own_view_drew', report.ownViews.drew);
      }
    },
  });
}

// pipeline.ts no longer uses this default export: its rl1 starts from the warm-start stage. Kept until this module
// changes anyway, because any code change here re-keys base and rl1-noperc (40 min on tiny) for nothing.
export default coldStartStage({
  name: 'rl1', block: 'rl1', init: from('perception', 'model'),
  description: 'cold-start SFT on interactive trajectories, from the perception checkpoint',
});
