// Perception alignment: point-level supervised fine-tuning of the pretrained generalist on the perception data (the
// paper's V-Perception SFT, which starts from Qwen2.5-VL). Answers are the paper's coordinate dict {'P1': (x, y)} with coordinate-bin tokens; accuracy
// within `perception.tolerance_px` and mean pixel error per question level, before (untrained) and after.
import { dir, file, from, json, stage } from '@vthinker/engine';
import { outputPaths, TRAINING_STAGE, workersFor } from './train-stage.ts';

export default stage({
  name: 'perception',
  description: 'point-level SFT (V-Perception analogue) from the pretrained generalist -> policy checkpoint',
  module: import.meta.url,
  params: ['seed', 'perception', 'model'],
  inputs: { data: from('synthesize', 'perception'), init: from('pretrain', 'model') },
  outputs: { model: dir('model'), curve: file('curve.jsonl'), eval: json('eval.json'), sheets: dir('sheets') },
  ...TRAINING_STAGE,
  async run(ctx) {
    const { initCompute } = await import('../vthinker/compute/setup.ts');
    const { readJsonl } = await import('../vthinker/util/jsonl.ts');
    const { curriculumTokenizer } = await import('./training.ts');
    const { trainPerception } = await import('../vthinker/train/perception.ts');
    const { PERCEPTION_LEVELS } = await import('../vthinker/synth/perception.ts');
    type PerceptionSample = import('../vthinker/synth/perception.ts').PerceptionSample;
    type PerceptionParams = import('../vthinker/train/perception.ts').PerceptionParams;

    await initCompute();
    const params: PerceptionParams = { ...ctx.param<Omit<PerceptionParams, 'model'>>('perception'), model: ctx.param('model') };
    const samples = readJsonl<PerceptionSample>(ctx.input('data'));
    const tokenizer = curriculumTokenizer();
    const report = await trainPerception({
      samples, tokenizer, params, seed: ctx.param<number>('seed'), workers: workersFor(ctx, params.batch_size), init: ctx.input('init'),
      out: outputPaths(ctx, ['model', 'curve', 'eval', 'sheets']),
      checkpointDir: ctx.checkpointDir,
      onProgress: (done, total, note) => ctx.progress(done, total, note),
    });
    const r4 = (v: number | null) => (v === null ? -1 : +v.toFixed(4));
    ctx.metric('accuracy_before', r4(report.before.overall.accuracy));
    ctx.metric('accuracy_after', r4(report.after.overall.accuracy));
    ctx.metric('mean_error_px_before', r4(report.before.overall.meanErrorPx));
    ctx.metric('mean_error_px_after', r4(report.after.overall.meanErrorPx));
    ctx.metric('parse_failures_after', r4(report.after.overall.parseFailures));
    for (const level of PERCEPTION_LEVELS) {
      ctx.metric(`${level}_accuracy_before`, r4(report.before.levels[level].accuracy));
      ctx.metric(`${level}_accuracy_after`, r4(report.after.levels[level].accuracy));
      ctx.metric(`${level}_mean_error_px_after`, r4(report.after.levels[level].meanErrorPx));
    }
    ctx.metric('loss_first', r4(report.lossFirst));
    ctx.metric('loss_final', r4(report.lossFinal));
    // Speed goes to metrics only (outputs stay a function of the seed, so unchanged results keep downstream cached).
    ctx.metric('samples_per_s', +report.samplesPerSec.toFixed(1));
    ctx.metric('train_seconds', +report.trainSeconds.toFixed(1));
    ctx.metric('resumed_from', report.resumedFrom);
    ctx.metric('steps', report.steps);
    ctx.metric('parameters', report.parameters);
    ctx.metric('compute', report.computeId);
    const { recordMatmulRate } = await import('./training.ts');
    recordMatmulRate(ctx);
  },
});
