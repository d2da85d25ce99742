// Stage 2 of the interactive framework: GRPO in the sandbox, from the rl1 checkpoint (`rl2`) or from the ablation
// without perception alignment (`rl2-noperc`).
import { from, stage } from '@vthinker/engine';
import { curriculumOutputs, outputPaths, TRAINING_STAGE, workersFor } from './train-stage.ts';

export function grpoStage(name: string, init: string, description: string) {
  return stage({
    name,
    description,
    module: import.meta.url,
    params: ['seed', 'rl2'],
    inputs: { train: from('verify', 'train'), init: from(init, 'model') },
    outputs: curriculumOutputs(),
    ...TRAINING_STAGE,
    async run(ctx) {
      const { initCompute } = await import('../vthinker/compute/setup.ts');
      const { readJsonl } = await import('../vthinker/util/jsonl.ts');
      const { curriculumTokenizer, recordTraining } = await import('./training.ts');
      const { grpoSeed, trainGrpo } = await import('../vthinker/train/grpo-loop.ts');
      type Sample = import('../vthinker/synth/types.ts').Sample;
      type GrpoParams = import('../vthinker/train/grpo-loop.ts').GrpoParams;

      await initCompute();
      const params = ctx.param<GrpoParams>('rl2');
      const workers = workersFor(ctx, params.prompts_per_step * params.rollouts, params.minibatches);
      const report = await trainGrpo({
        samples: readJsonl<Sample>(ctx.input('train')), tokenizer: curriculumTokenizer(), params, seed: grpoSeed(ctx.param<number>('seed'), params, name), workers,
        init: ctx.input('init'), stageName: name,
        out: outputPaths(ctx, ['model', 'curve', 'eval', 'rollouts', 'sheets']),
        checkpointDir: ctx.checkpointDir,
        onProgress: (done, total, note) => ctx.progress(done, total, note),
      });
      recordTraining(ctx, report, report.computeId);
      ctx.metric('rollouts_per_s', +report.rolloutsPerSec.toFixed(1));
    },
  });
}

export default grpoStage('rl2', 'rl1', 'GRPO in the sandbox (format, accuracy, consistency, tool rewards), from rl1');
