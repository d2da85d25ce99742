// Supervised stages on the cold start's share of the flywheel data (curriculum-data's `sft`): the pretrained
// generalist (`pretrain`: every question answered directly, no interaction, plus general visual questions, from
// scratch) and stage 1 of the interactive framework, cold-start SFT on the verified interactive trajectories
// (sandbox outputs masked, final rounds only for multi-call trajectories), from the perception checkpoint via
// warm-start (`rl1`, M0 and M1) or from the generalist itself (`rl1-noperc`, M2). Every cold start is also evaluated
// on general validation questions (`accuracy_general_*`): what SFT on interactive data costs the generalist.
import { from, stage, type InputRef } from '@vthinker/engine';
import { curriculumOutputs, outputPaths, TRAINING_STAGE, workersFor } from './train-stage.ts';

export interface ColdStartStage {
  name: string;
  description: string;
  /** The starting weights; none: from scratch (pretrain only). */
  init?: InputRef;
  /** The params block. */
  block: 'rl1' | 'pretrain';
  /** Pretraining: every question answered directly (no call), general questions in the mix. */
  direct?: boolean;
}

export function coldStartStage(s: ColdStartStage) {
  return stage({
    name: s.name,
    description: s.description,
    module: import.meta.url,
    params: ['seed', 'model', s.block],
    inputs: {
      train: from('curriculum-data', 'sft'), generalVal: from('curriculum-data', 'generalVal'),
      ...(s.direct ? { generalTrain: from('curriculum-data', 'generalPretrain') } : {}),
      ...(s.init ? { init: s.init } : {}),
    },
    outputs: curriculumOutputs(),
    ...TRAINING_STAGE,
    async run(ctx) {
      const { initCompute } = await import('../vthinker/compute/setup.ts');
      const { readJsonl } = await import('../vthinker/util/jsonl.ts');
      const { curriculumTokenizer, policyConfigOf, recordTraining } = await import('./training.ts');
      const { trainColdStart } = await import('../vthinker/train/cold-start.ts');
      const { generalEpisode } = await import('../vthinker/general/data.ts');
      type Sample = import('../vthinker/synth/types.ts').Sample;
      type GeneralItem = import('../vthinker/general/data.ts').GeneralItem;
      type ColdStartParams = import('../vthinker/train/cold-start.ts').ColdStartParams;

      await initCompute();
      const params = ctx.param<ColdStartParams>(s.block);
      const tokenizer = curriculumTokenizer();
      const general = {
        train: s.direct ? readJsonl<GeneralItem>(ctx.input('generalTrain')).map(generalEpisode) : [],
        val: readJsonl<GeneralItem>(ctx.input('generalVal')).map(generalEpisode),
      };
      const report = await trainColdStart({
        samples: readJsonl<Sample>(ctx.input('train')), tokenizer, params, seed: ctx.param<number>('seed'), workers: workersFor(ctx, params.batch_size),
        model: policyConfigOf(tokenizer, ctx.param('model')),
        ...(s.init ? { init: ctx.input('init') } : {}),
        direct: s.direct ?? false, general, stageName: s.name,
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

/** The pretrained generalist: the `base` row of every table, and where every variant starts. */
export const pretrain = coldStartStage({ name: 'pretrain', block: 'pretrain', direct: true, description: 'the pretrained generalist: direct answers to the flywheel questions and general visual questions, from scratch' });
/** M0 and M1's cold start: from the perception checkpoint as warm-start hands it over. */
export const rl1 = coldStartStage({ name: 'rl1', block: 'rl1', init: from('warm-start', 'model'), description: 'cold-start SFT on interactive trajectories, from pretrain -> perception (via warm-start)' });
/** M2's cold start: from the generalist, without perception alignment. */
export const rl1NoPerc = coldStartStage({ name: 'rl1-noperc', block: 'rl1', init: from('pretrain', 'model'), description: 'ablation: cold-start SFT from pretrain (no perception alignment)' });
