// The policy's pure logic in one import: tokenizer, trajectories and masks, answers (LaTeX, numbers), reward, GRPO
// maths, rollout driver.
export * from './answer.ts';
export * from './latex.ts';
export * from './numeric.ts';
export * from './consistency.ts';
export * from './grpo.ts';
export * from './reward.ts';
export * from './rollout.ts';
export * from './tokenizer.ts';
export * from './trajectory.ts';
