// RL's own data (the paper's difficulty-filtered hard set, ThinkLite-VL-hard): each candidate prompt is rolled out
// k times by the cold-start policy at the RL sampling settings and kept when it solves some but not all of them. A
// prompt it always solves or never solves gives GRPO a group of equal rewards, i.e. no advantage to learn from.
export { rightCounts } from './diagnostics.ts';

/** The screening rule: some of the k samples right, not all. */
export function keepForRl(right: number, k: number): boolean {
  if (!(Number.isInteger(right) && right >= 0 && right <= k)) throw new Error(`keepForRl: ${right} right of ${k} samples is not a count`);
  return right > 0 && right < k;
}

/**
 * rl-data's rule per prompt: interactive problems are screened; general questions too when `screenGeneral` (else all
 * are kept, as the paper keeps We-Math / MMK12 whole).
 */
export function keepPrompt(source: 'flywheel' | 'general', right: number, k: number, screenGeneral: boolean): boolean {
  return source === 'general' && !screenGeneral ? true : keepForRl(right, k);
}

/** How many prompts had 0, 1, ..., k right samples (the pass-rate histogram before screening). */
export function passHistogram(right: readonly number[], k: number): number[] {
  const h = Array.from({ length: k + 1 }, () => 0);
  for (const c of right) h[c]!++;
  return h;
}
