// GRPO's maths on plain arrays: the reference a tensor implementation is tested against.
//
// Advantage   A_i = (r_i - mean(group)) / (std(group) + eps), population std (divide by G, not G-1), eps = 1e-4.
//             A group whose rewards are all equal gets zero advantages (nothing to learn from it).
// Token loss  l_t = -min(rho_t A, clip(rho_t, 1-e, 1+e) A) + beta * k3_t,  rho_t = exp(new_t - old_t), e = 0.2,
//             k3_t = exp(ref_t - new_t) - (ref_t - new_t) - 1  (>= 0, unbiased for KL(new || ref) under new).
// Loss        L = (1/S) sum_i (1/|m_i|) sum_t m_t l_t: the mean over each sequence's masked tokens, then the mean
//             over the S sequences that have at least one masked token (DeepSeekMath's GRPO normalisation; a sequence
//             with an empty mask is left out rather than counted as 0). Empty batch: 0.

export interface GrpoConfig {
  /** Clip range e of the ratio (paper 0.2). */
  clip: number;
  /** KL weight beta (paper 0.01). */
  klWeight: number;
}

export const PAPER_GRPO: Readonly<GrpoConfig> = { clip: 0.2, klWeight: 0.01 };
export const ADVANTAGE_EPS = 1e-4;

/** Advantages of one group of rewards (the rollouts of one prompt). */
export function groupAdvantages(rewards: readonly number[], eps = ADVANTAGE_EPS): number[] {
  const n = rewards.length;
  if (n === 0) return [];
  const mean = rewards.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(rewards.reduce((a, r) => a + (r - mean) ** 2, 0) / n);
  // Exactly equal rewards would give tiny float noise / eps; force exact zeros.
  if (rewards.every((r) => r === rewards[0])) return rewards.map(() => 0);
  return rewards.map((r) => (r - mean) / (std + eps));
}

/** Advantages of consecutive groups of groupSize in a flat reward array. */
export function batchAdvantages(rewards: readonly number[], groupSize: number, eps = ADVANTAGE_EPS): number[] {
  if (!(Number.isInteger(groupSize) && groupSize > 0) || rewards.length % groupSize !== 0) {
    throw new Error(`batchAdvantages: ${rewards.length} rewards do not split into groups of ${groupSize}`);
  }
  const out: number[] = [];
  for (let i = 0; i < rewards.length; i += groupSize) out.push(...groupAdvantages(rewards.slice(i, i + groupSize), eps));
  return out;
}

/** The clipped surrogate objective of one token (to be maximised): min(rho A, clip(rho) A). */
export function clippedSurrogate(newLogp: number, oldLogp: number, advantage: number, clip = PAPER_GRPO.clip): number {
  const ratio = Math.exp(newLogp - oldLogp);
  const clipped = Math.min(1 + clip, Math.max(1 - clip, ratio));
  return Math.min(ratio * advantage, clipped * advantage);
}

/** Whether the clip is what limits this token (the surrogate's gradient is then zero). */
export function isClipped(newLogp: number, oldLogp: number, advantage: number, clip = PAPER_GRPO.clip): boolean {
  const ratio = Math.exp(newLogp - oldLogp);
  const clipped = Math.min(1 + clip, Math.max(1 - clip, ratio));
  return clipped * advantage < ratio * advantage;
}

/** The k3 estimator of KL(new || ref) at one token. */
export function k3(refLogp: number, newLogp: number): number {
  const d = refLogp - newLogp;
  return Math.exp(d) - d - 1;
}

/** One rollout's per-token log-probabilities (of the tokens taken) and its advantage. */
export interface GrpoSequence {
  newLogp: readonly number[];
  oldLogp: readonly number[];
  /** The reference model's; without it the KL term is 0. */
  refLogp?: readonly number[];
  mask: readonly number[];
  advantage: number;
}

export interface GrpoLoss {
  /** policy + klWeight * kl. */
  loss: number;
  /** The mean negative surrogate, normalised like the loss. */
  policy: number;
  /** The mean k3, normalised like the loss (unweighted). */
  kl: number;
  /** Share of masked tokens where the clip was active. */
  clippedFraction: number;
  /** Masked tokens and sequences counted. */
  tokens: number;
  sequences: number;
}

function checkLengths(s: GrpoSequence, i: number): void {
  const n = s.mask.length;
  if (s.newLogp.length !== n || s.oldLogp.length !== n || (s.refLogp && s.refLogp.length !== n)) {
    throw new Error(`grpo: sequence ${i} has arrays of different lengths (mask ${n}, new ${s.newLogp.length}, old ${s.oldLogp.length}${s.refLogp ? `, ref ${s.refLogp.length}` : ''})`);
  }
}

const weightOf = (mask: readonly number[]): number => mask.reduce((a, m) => a + m, 0);

export function grpoLoss(batch: readonly GrpoSequence[], config: GrpoConfig = PAPER_GRPO): GrpoLoss {
  let policy = 0;
  let kl = 0;
  let clippedTokens = 0;
  let tokens = 0;
  let sequences = 0;
  batch.forEach((s, i) => {
    checkLengths(s, i);
    const w = weightOf(s.mask);
    if (w <= 0) return;
    sequences++;
    let p = 0;
    let k = 0;
    for (let t = 0; t < s.mask.length; t++) {
      const m = s.mask[t]!;
      if (m === 0) continue;
      tokens++;
      p -= m * clippedSurrogate(s.newLogp[t]!, s.oldLogp[t]!, s.advantage, config.clip);
      if (s.refLogp) k += m * k3(s.refLogp[t]!, s.newLogp[t]!);
      if (isClipped(s.newLogp[t]!, s.oldLogp[t]!, s.advantage, config.clip)) clippedTokens++;
    }
    policy += p / w;
    kl += k / w;
  });
  if (sequences === 0) return { loss: 0, policy: 0, kl: 0, clippedFraction: 0, tokens: 0, sequences: 0 };
  policy /= sequences;
  kl /= sequences;
  return { loss: policy + config.klWeight * kl, policy, kl, clippedFraction: clippedTokens / tokens, tokens, sequences };
}

/** d loss / d newLogp for every token of every sequence (zeros where masked out), for checking autodiff. */
export function grpoLossGradient(batch: readonly GrpoSequence[], config: GrpoConfig = PAPER_GRPO): number[][] {
  const sequences = batch.filter((s) => weightOf(s.mask) > 0).length;
  return batch.map((s, i) => {
    checkLengths(s, i);
    const w = weightOf(s.mask);
    return s.mask.map((m, t) => {
      if (m === 0 || w <= 0) return 0;
      const nw = s.newLogp[t]!;
      const ratio = Math.exp(nw - s.oldLogp[t]!);
      const gPolicy = isClipped(nw, s.oldLogp[t]!, s.advantage, config.clip) ? 0 : -s.advantage * ratio;
      const gKl = s.refLogp ? config.klWeight * (1 - Math.exp(s.refLogp[t]! - nw)) : 0;
      return (m * (gPolicy + gKl)) / (w * sequences);
    });
  });
}
