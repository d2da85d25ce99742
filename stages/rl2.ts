// Stage 2 of the interactive framework: GRPO in the sandbox on RL's own prompts (rl-data), from the cold start with
// perception alignment (`rl2`, M0; `rl2@s1`, `rl2@s2`: the same run at other seeds, for the spread of RL itself) or
// without it (`rl2-noperc`, M2). Each writes its right rollouts (`samples`, what the rft control trains on) and its
// diagnostics before and after (pass@1 at the sampling temperature, pass@k, rescue rate, on RL prompts and held-out
// items, with and without the image swapped; flat groups per kind, token entropy, KL in the curve).
import { file, from, stage } from '@vthinker/engine';
import { curriculumOutputs, outputPaths, TRAINING_STAGE, workersFor } from './train-stage.ts';

/** The held-out episodes of the validation share: its flywheel tasks and its general questions. */
export const heldoutInputs = () => ({ val: from('curriculum-data', 'val'), generalVal: from('curriculum-data', 'generalVal') });

export function grpoStage(name: string, init: string, description: string, seedOffset = 0) {
  return stage({
    name,
    description,
    module: import.meta.url,
    params: ['seed', 'rl2'],
    inputs: { prompts: from('rl-data', 'prompts'), rl: from('curriculum-data', 'rl'), ...heldoutInputs(), init: from(init, 'model') },
    outputs: { ...curriculumOutputs(), samples: file('samples.jsonl') },
    ...TRAINING_STAGE,
    async run(ctx) {
      const { initCompute } = await import('../vthinker/compute/setup.ts');
      const { readJsonl } = await import('../vthinker/util/jsonl.ts');
      const { curriculumTokenizer, recordTraining } = await import('./training.ts');
      const { grpoSeed, trainGrpo } = await import('../vthinker/train/grpo-loop.ts');
      const { keptEpisodes } = await import('../vthinker/curriculum/rl-prompts.ts');
      const { heldoutEpisodes } = await import('../vthinker/curriculum/data.ts');
      type Sample = import('../vthinker/synth/types.ts').Sample;
      type GrpoParams = import('../vthinker/train/grpo-loop.ts').GrpoParams;
      type RlPrompt = import('../vthinker/curriculum/rl-prompts.ts').RlPrompt;
      type GeneralItem = import('../vthinker/general/data.ts').GeneralItem;

      await initCompute();
      const params = ctx.param<GrpoParams>('rl2');
      const workers = workersFor(ctx, params.prompts_per_step * params.rollouts, params.minibatches);
      const seed = grpoSeed(ctx.param<number>('seed'), { seed_offset: (params.seed_offset ?? 0) + seedOffset }, name);
      const report = await trainGrpo({
        pool: keptEpisodes(readJsonl<RlPrompt>(ctx.input('prompts')), readJsonl<Sample>(ctx.input('rl'))),
        heldout: heldoutEpisodes(readJsonl<Sample>(ctx.input('val')), readJsonl<GeneralItem>(ctx.input('generalVal'))),
        tokenizer: curriculumTokenizer(), params, seed, workers,
        init: ctx.input('init'), stageName: name,
        out: outputPaths(ctx, ['model', 'curve', 'eval', 'rollouts', 'sheets', 'samples']),
        checkpointDir: ctx.checkpointDir,
        onProgress: (done, total, note) => ctx.progress(done, total, note),
      });
      recordTraining(ctx, report, report.computeId);
      ctx.metric('rollouts_per_s', +report.rolloutsPerSec.toFixed(1));
      ctx.metric('prompts', report.trainEpisodes);
      ctx.metric('right_samples', report.rightSamples);
      // The diagnostics as metrics: <when>.<set>.<group>.<stat>, e.g. after.heldout.general.rescue.
      for (const [when, sets] of Object.entries(report.diagnostics ?? {})) {
        for (const [set, groups] of Object.entries(sets)) {
          for (const [group, stats] of Object.entries(groups)) {
            for (const stat of ['greedy', 'pass1', 'passK', 'rescue'] as const) ctx.metric(`${when}.${set}.${group}.${stat}`, stats[stat]);
          }
        }
      }
    },
  });
}

/** M0: GRPO from rl1 (pretrain -> perception -> rl1), at the profile's seed and at two more. */
export const rl2Seeds = [
  grpoStage('rl2', 'rl1', 'GRPO on RL prompts (format, accuracy, consistency, tool rewards), from rl1'),
  grpoStage('rl2@s1', 'rl1', 'GRPO from rl1, seed + 1', 1),
  grpoStage('rl2@s2', 'rl1', 'GRPO from rl1, seed + 2', 2),
];
/** M2: the same GRPO from rl1-noperc. */
export const rl2NoPerc = grpoStage('rl2-noperc', 'rl1-noperc', 'ablation: GRPO from rl1-noperc');
