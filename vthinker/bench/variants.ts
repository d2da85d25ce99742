// The names the benchmark tables give the pipeline's variants (stages/eval.ts maps each to its model's stage).
export const VARIANT_LABELS: Record<string, string> = {
  base: 'base (pretrained generalist)', m0: 'M0 full curriculum', m0s1: 'M0, RL seed + 1', m0s2: 'M0, RL seed + 2',
  m1: 'M1 without RL', m2: 'M2 without perception', rft: 'rft (SFT on the RL rollouts)',
};
