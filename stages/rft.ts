// The rft control: rejection-sampling SFT on rl2's own right rollouts, from rl1, with rl2's number of updates
// (vthinker/train/rft.ts). Scored as the variant `rft`: M0 against it separates RL from more training on the same
// prompts' right answers.
import { dir, file, from, json, stage } from '@vthinker/engine';
import { heldoutInputs } from './rl2.ts';
import { outputPaths, TRAINING_STAGE, workersFor } from './train-stage.ts';

export default stage({
  name: 'rft',
  description: "control: SFT on rl2's right rollouts from rl1, as many updates as rl2",
  module: import.meta.url,
  params: ['seed', 'rl2'],
  inputs: {
    samples: from('rl2', 'samples'), rl2: from('rl2', 'eval'), prompts: from('rl-data', 'prompts'), rl: from('curriculum-data', 'rl'),
    ...heldoutInputs(), init: from('rl1', 'model'),
  },
  outputs: { model: dir('model'), curve: file('curve.jsonl'), eval: json('eval.json') },
  ...TRAINING_STAGE,
  async run(ctx) {
    const { readFileSync } = await import('node:fs');
    const { initCompute } = await import('../vthinker/compute/setup.ts');
    const { readJsonl } = await import('../vthinker/util/jsonl.ts');
    const { curriculumTokenizer } = await import('./training.ts');
    const { trainRft } = await import('../vthinker/train/rft.ts');
    const { heldoutEval, grpoSeed } = await import('../vthinker/train/grpo-loop.ts');
    const { keptEpisodes } = await import('../vthinker/curriculum/rl-prompts.ts');
    const { heldoutEpisodes } = await import('../vthinker/curriculum/data.ts');
    type GrpoParams = import('../vthinker/train/grpo-loop.ts').GrpoParams;
    type RightSample = import('../vthinker/train/grpo-loop.ts').RightSample;
    type Sample = import('../vthinker/synth/types.ts').Sample;
    type GeneralItem = import('../vthinker/general/data.ts').GeneralItem;
    type RlPrompt = import('../vthinker/curriculum/rl-prompts.ts').RlPrompt;

    await initCompute();
    const params = ctx.param<GrpoParams>('rl2');
    const seed = grpoSeed(ctx.param<number>('seed'), params, 'rft');
    const rl2Steps = (JSON.parse(readFileSync(ctx.input('rl2'), 'utf8')) as { steps: number }).steps;
    const heldout = heldoutEpisodes(readJsonl<Sample>(ctx.input('val')), readJsonl<GeneralItem>(ctx.input('generalVal')));
    const batch = (params.prompts_per_step * params.rollouts) / params.minibatches;
    const report = await trainRft({
      samples: readJsonl<RightSample>(ctx.input('samples')),
      pool: keptEpisodes(readJsonl<RlPrompt>(ctx.input('prompts')), readJsonl<Sample>(ctx.input('rl'))),
      heldout: heldoutEval(heldout, params.eval_per_kind, seed),
      tokenizer: curriculumTokenizer(), params, rl2Steps, seed, workers: workersFor(ctx, batch),
      init: ctx.input('init'),
      out: outputPaths(ctx, ['model', 'curve', 'eval']),
      checkpointDir: ctx.checkpointDir,
      onProgress: (done, total, note) => ctx.progress(done, total, note),
    });
    ctx.metric('updates', report.updates);
    ctx.metric('samples', report.samples);
    ctx.metric('accuracy_before', report.before.accuracy);
    ctx.metric('accuracy_after', report.after.accuracy);
    for (const [k, v] of Object.entries(report.after)) if (k.startsWith('accuracy_')) ctx.metric(`${k}_after`, v);
    ctx.metric('loss_first', +report.lossFirst.toFixed(4));
    ctx.metric('loss_final', +report.lossFinal.toFixed(4));
  },
});
