// eval@<variant>: one trained model on both benchmarks. VTBench: every item's three tasks rolled out in the sandbox
// (greedy; Perception and IGI single-shot, IR up to vtbench.ir_rounds rounds), written in the judge's layout and
// judged; scores per task and domain with 95% Wilson intervals. The general benchmark (curriculum-data's held-out
// general questions): answered with the same rounds as IR, judged by answer equivalence.
import { dir, from, json, matrix } from '@vthinker/engine';
import { computeFingerprint } from '../vthinker/compute/fingerprint.ts';
import { VARIANT_LABELS } from '../vthinker/bench/variants.ts';

/** The variants and the stage whose model each one is (labels: bench/variants.ts) (PAPER.md's ablations, plus RL seeds and the rft control). */
export const VARIANTS = {
  base: 'pretrain', m0: 'rl2', m0s1: 'rl2@s1', m0s2: 'rl2@s2', m1: 'rl1', m2: 'rl2-noperc', rft: 'rft',
} as const;
export type Variant = keyof typeof VARIANTS;
export const VARIANT_NAMES = Object.keys(VARIANTS) as Variant[];

export default matrix('eval', VARIANT_NAMES, (variant) => ({
  description: `score ${VARIANT_LABELS[variant]} on VTBench and the general benchmark`,
  module: import.meta.url,
  params: ['vtbench.ir_rounds'],
  inputs: { bench: from('benchmark', 'bench'), general: from('curriculum-data', 'generalBench'), model: from(VARIANTS[variant], 'model') },
  outputs: { outputs: dir('outputs'), scores: json('scores.json'), general: json('general.json') },
  resources: { cpu: 1, memoryMb: 3072 },
  runtime: () => ({ compute: computeFingerprint() }),
  async run(ctx) {
    const { initCompute } = await import('../vthinker/compute/setup.ts');
    const { evaluateModelDir, loadModelDir } = await import('../vthinker/bench/evaluate-model.ts');
    const { evaluateGeneral } = await import('../vthinker/general/evaluate.ts');
    const { readJsonl } = await import('../vthinker/util/jsonl.ts');
    const { join } = await import('node:path');
    type GeneralItem = import('../vthinker/general/data.ts').GeneralItem;
    await initCompute();
    const irRounds = ctx.param<number>('vtbench.ir_rounds');
    const scores = await evaluateModelDir(ctx.input('model'), join(ctx.input('bench'), 'vtbench.json'), ctx.output('outputs'), {
      irRounds,
      onProgress: (done, total, note) => ctx.progress(done, total, note),
    });
    ctx.writeJson('scores', { variant, ...scores });
    for (const [task, s] of Object.entries(scores.tasks)) ctx.metric(task, s.score);
    const { policy, tok } = loadModelDir(ctx.input('model'));
    try {
      const general = await evaluateGeneral(policy, tok, readJsonl<GeneralItem>(ctx.input('general')), irRounds, ctx.output('outputs'));
      ctx.writeJson('general', { variant, ...general });
      ctx.metric('general', general.overall.score);
      ctx.metric('general_heldout_combo', general.heldoutCombo.score);
    } finally {
      policy.dispose();
    }
  },
}));
