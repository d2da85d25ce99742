// eval@<variant>: one trained model on the benchmark. Every item's three tasks are rolled out in the sandbox
// (greedy; Perception and IGI single-shot, IR up to vtbench.ir_rounds rounds), the outputs are written in the
// judge's layout and judged; scores per task and domain with 95% Wilson intervals.
import { dir, from, json, matrix } from '@vthinker/engine';
import { computeFingerprint } from '../vthinker/compute/fingerprint.ts';

/** The benchmark's variants and the stage whose model each one is (issue #5 / PAPER.md ablations). */
export const VARIANTS = {
  base: { stage: 'base', label: 'base (direct answer)' },
  m0: { stage: 'rl2', label: 'M0 perception -> rl1 -> rl2' },
  m1: { stage: 'rl1', label: 'M1 without RL' },
  m2: { stage: 'rl2-noperc', label: 'M2 without perception' },
} as const;
export type Variant = keyof typeof VARIANTS;
export const VARIANT_NAMES = Object.keys(VARIANTS) as Variant[];

export default matrix('eval', VARIANT_NAMES, (variant) => ({
  description: `score ${VARIANTS[variant].label} on the benchmark`,
  module: import.meta.url,
  params: ['vtbench.ir_rounds'],
  inputs: { bench: from('benchmark', 'bench'), model: from(VARIANTS[variant].stage, 'model') },
  outputs: { outputs: dir('outputs'), scores: json('scores.json') },
  resources: { cpu: 1, memoryMb: 3072 },
  runtime: () => ({ compute: computeFingerprint() }),
  async run(ctx) {
    const { initCompute } = await import('../vthinker/compute/setup.ts');
    const { evaluateModelDir } = await import('../vthinker/bench/evaluate-model.ts');
    const { join } = await import('node:path');
    await initCompute();
    const scores = await evaluateModelDir(ctx.input('model'), join(ctx.input('bench'), 'vtbench.json'), ctx.output('outputs'), {
      irRounds: ctx.param<number>('vtbench.ir_rounds'),
      onProgress: (done, total, note) => ctx.progress(done, total, note),
    });
    ctx.writeJson('scores', { variant, ...scores });
    for (const [task, s] of Object.entries(scores.tasks)) ctx.metric(task, s.score);
  },
}));
