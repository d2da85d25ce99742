// rl2: GRPO in the sandbox on RL's own prompts (rl-data: screened flywheel problems and general questions). Each step
// takes the next `prompts_per_step` kept prompts of a seeded epoch permutation (every prompt comes back `epochs`
// times), runs `rollouts`
// multi-turn rollouts of each with the current policy (prose at `temperature`, code at `code_temperature`), scores them
// (curriculum/reward.ts), turns rewards into group advantages, and updates the policy on the tokens it sampled (not
// on greedy code: rolloutExample) with the clipped surrogate plus the k3 KL to the frozen starting policy (the
// reference), in `minibatches` updates per step (the first is on-policy, later ones see ratios != 1, where the clip
// acts). Dynamic sampling takes groups of equal rewards out of the loss. The right rollouts of every step are written
// for the rft control (train/rft.ts), and diagnostics (curriculum/diagnostics.ts) run before and after.
// The gradient step runs on the data-parallel workers (train/trainer.ts computes the GRPO loss there); rollouts
// and the old/reference log-probabilities run on the main thread with the current weights.
// Exact resume: the optimizer state and weights are checkpointed, and every step's randomness is a function of
// (seed, step), so a resumed run continues exactly as the uninterrupted one.
import * as tf from '@tensorflow/tfjs-core';
import { writeFileSync } from 'node:fs';
import { startDataParallel } from '../compute/data-parallel.ts';
import type { CurriculumOutputs, TrainingRunOptions } from './run-options.ts';
import { diagnoseSets, groupOf, type PassStats } from '../curriculum/diagnostics.ts';
import type { Episode } from '../curriculum/episode.ts';
import { evaluateEpisodes, rolloutStats, roundStats, type Evaluation, type RolloutStats } from '../curriculum/evaluate.ts';
import { visibleCounts } from '../curriculum/examples.ts';
import { episodeReward } from '../curriculum/reward.ts';
import { runRollouts } from '../curriculum/rollouts.ts';
import { collate, type PolicyExample } from '../model/batch.ts';
import type { Policy } from '../model/policy.ts';
import { batchAdvantages, k3 } from '../policy/grpo.ts';
import type { RewardWeights } from '../policy/reward.ts';
import type { Rollout } from '../policy/rollout.ts';
import type { Tokenizer } from '../policy/tokenizer.ts';
import { toModelInput } from '../scene/render.ts';
import type { Sample } from '../synth/types.ts';
import { rng } from '../util/random.ts';
import { commitCheckpoint, readLatest } from './checkpoint.ts';
import { checkpointConfig, policyWith, writeModel, writeRolloutViews } from './cold-start.ts';
import { learningRate } from './schedule.ts';
import { batchIndices } from './sft.ts';
import { controlRows, CTL, GRPO_KEYS, type PolicyTrainerConfig } from './trainer.ts';

export interface GrpoParams {
  /** Passes over the kept prompts: steps = ceil(epochs x prompts / prompts_per_step), each prompt visited `epochs` times. */
  epochs: number;
  /** Cap on the steps (0: none): the smoke profile's budget. */
  max_steps?: number;
  /** Added to the project seed for this stage alone: independent RL runs from one cold start (0: the seed itself). */
  seed_offset?: number;
  prompts_per_step: number;
  /** G: rollouts per prompt (paper 8). */
  rollouts: number;
  /** Gradient updates per step, each on an equal share of the step's rollouts. */
  minibatches: number;
  lr: number;
  warmup: number;
  clip: number;
  kl_weight: number;
  /** Generation rounds per rollout (paper 4). */
  max_rounds: number;
  temperature: number;
  /** Nucleus sampling of prose (paper: top-k 50, top-p 0.9; 0 and 1 turn each off). */
  top_k: number;
  top_p: number;
  /** Of code tokens: 0 decodes code greedily, as the paper. */
  code_temperature: number;
  /** Groups whose rollouts all got the same reward leave the loss (their advantage is 0; only their KL term was left). */
  dynamic_sampling: boolean;
  reward: RewardWeights;
  /** false: the paper's formula without the consistency term. */
  with_consistency: boolean;
  /** Drawing episodes: graded accuracy for near misses (curriculum/reward.ts). */
  partial_credit: boolean;
  /** Greedy evaluation episodes per task kind (and general questions) of the validation share. */
  eval_per_kind: number;
  eval_every: number;
  checkpoint_every: number;
  /** Before/after diagnostics (curriculum/diagnostics.ts): items per set and samples per item; items 0: off. */
  diagnostics: { items: number };
}

export interface GrpoStepMetric extends Partial<RolloutStats> {
  step: number;
  loss: number;
  lr: number;
  kl: number;
  /** Mean -log p of the sampled tokens under the sampling policy: an estimate of the policy's token entropy. */
  entropy: number;
  /** Groups whose rollouts all got the same reward (zero advantage: nothing to learn from them), and per group kind. */
  flat_groups: number;
  [flat: `flat_${string}`]: number;
  rollouts_per_s: number;
}

/** Where a GRPO run writes: the curriculum outputs plus the right rollouts of every step (what rft trains on). */
export interface GrpoOutputs extends CurriculumOutputs {
  samples: string;
}

export interface GrpoOptions extends TrainingRunOptions<GrpoOutputs> {
  /** The kept RL prompts (rl-data). */
  pool: readonly Episode[];
  /** Held-out episodes of the validation share for the greedy evaluations (and the diagnostics' held-out set). */
  heldout: readonly Episode[];
  tokenizer: Tokenizer;
  params: GrpoParams;
  /** The cold start's model directory: the starting weights and the frozen reference. */
  init: string;
  stageName: string;
}

export interface GrpoReport {
  steps: number;
  before: RolloutStats;
  after: RolloutStats;
  evals: Array<{ step: number; metrics: Record<string, number> }>;
  trainEpisodes: number;
  /** Right rollouts written for rft. */
  rightSamples: number;
  diagnostics: { before: Record<string, Record<string, PassStats>>; after: Record<string, Record<string, PassStats>> } | null;
  rolloutsPerSec: number;
  trainSeconds: number;
  resumedFrom: number;
  computeId: string;
}

/** One right rollout of a GRPO step, enough to rebuild its training example (views by replaying its calls). */
export interface RightSample {
  step: number;
  episode: string;
  ids: number[];
  generated: number[];
  calls: string[];
}

/** The steps of a run: every kept prompt visited `epochs` times, capped by max_steps. */
export function grpoSteps(p: Pick<GrpoParams, 'epochs' | 'max_steps' | 'prompts_per_step'>, prompts: number): number {
  if (!(p.epochs > 0)) throw new Error(`rl2.epochs must be > 0, got ${p.epochs}`);
  if (prompts === 0) throw new Error('rl2: no RL prompt was kept (rl-data); screen more prompts or check the cold start');
  const steps = Math.ceil((p.epochs * prompts) / p.prompts_per_step);
  return p.max_steps ? Math.min(p.max_steps, steps) : steps;
}

/**
 * A rollout as a training example; images are the episode's views. The loss mask is the tokens the policy *sampled*:
 * with `codeSampled` false (code_temperature 0) the code spans were decoded greedily, and a greedy token is not a
 * draw from the policy, so the policy gradient has no term for it. Keeping them let every rollout with a negative
 * advantage push its argmax code tokens down (and a positive one up) through the shared weights: noise, not signal.
 * A code span is the tokens after <code> up to and including </code> (policy.generate decodes exactly those at
 * codeTemperature); <code> itself is sampled as prose.
 */
export function rolloutExample(tok: Tokenizer, r: Rollout, side: number, codeSampled = true): PolicyExample {
  return { tokens: r.ids, lossMask: codeSampled ? r.generated : sampledMask(tok, r), visible: visibleCounts(tok, r.ids), images: r.images.map((img) => toModelInput(img, side)) };
}

/** `generated` with the greedy code spans' tokens set to 0. */
export function sampledMask(tok: Tokenizer, r: Pick<Rollout, 'ids' | 'generated'>): number[] {
  let inCode = false;
  return r.ids.map((id, i) => {
    const keep = inCode ? 0 : r.generated[i]!;
    if (id === tok.ids.code) inCode = true;
    else if (id === tok.ids.codeEnd) inCode = false;
    return keep;
  });
}

/** The seed an rl2 run draws its prompts and samples with: the project seed plus `seed_offset`. */
export function grpoSeed(seed: number, params: Pick<GrpoParams, 'seed_offset'>, stageName: string): number {
  const offset = params.seed_offset ?? 0;
  if (!Number.isInteger(offset)) {
    throw new Error(`${stageName}: seed_offset must be an integer (got ${JSON.stringify(offset)}); set rl2.seed_offset in params.yaml or a profile, e.g. 1`);
  }
  return seed + offset;
}

/** Per-token log-probabilities [B][T] of a collated batch under a policy. */
function tokenLogProbs(policy: Policy, batch: ReturnType<typeof collate>): Float32Array {
  const lp = policy.logProbs(batch);
  const data = lp.dataSync() as Float32Array;
  lp.dispose();
  return data;
}

/** Mean over sequences of the mean k3(ref, cur) over each one's masked tokens: the logged KL. */
function meanKl(cur: Float32Array, ref: Float32Array, mask: Float32Array, rows: number, cols: number): number {
  let total = 0, seqs = 0;
  for (let i = 0; i < rows; i++) {
    let s = 0, n = 0;
    for (let t = 0; t < cols; t++) {
      const j = i * cols + t;
      if (mask[j]! > 0) { s += k3(ref[j]!, cur[j]!); n++; }
    }
    if (n > 0) { total += s / n; seqs++; }
  }
  return seqs ? total / seqs : 0;
}

const sliceRows = (a: { data: Float32Array | Int32Array; shape: number[] }, from: number, to: number) => {
  const row = a.data.length / a.shape[0]!;
  return { data: a.data.slice(from * row, to * row), shape: [to - from, ...a.shape.slice(1)] };
};

export async function trainGrpo(o: GrpoOptions): Promise<GrpoReport> {
  const p = o.params, tok = o.tokenizer;
  const config = checkpointConfig(tok, o.init);
  const workers = o.workers ?? 1;
  const batch = p.prompts_per_step * p.rollouts;
  if (batch % (p.minibatches * workers) !== 0) {
    throw new Error(`${o.stageName}: prompts_per_step x rollouts = ${batch} must split into ${p.minibatches} minibatches of equal shards for ${workers} workers`);
  }
  const pool = o.pool;
  const steps = grpoSteps(p, pool.length);
  const evalSet = heldoutEval(o.heldout, p.eval_per_kind, o.seed);
  const rewardOptions = { weights: p.reward, withConsistency: p.with_consistency, partialCredit: p.partial_credit };
  const greedy = { maxRounds: p.max_rounds, temperature: 0 };
  const sampling = { maxRounds: p.max_rounds, temperature: p.temperature, codeTemperature: p.code_temperature, topK: p.top_k, topP: p.top_p };
  const diagnosticSets = p.diagnostics.items > 0 ? {
    rl_prompts: { episodes: rng(o.seed).fork('diagnose rl').shuffle(pool).slice(0, p.diagnostics.items), pool },
    heldout: { episodes: rng(o.seed).fork('diagnose heldout').shuffle(o.heldout).slice(0, p.diagnostics.items), pool: o.heldout },
  } : undefined;
  const diagnose = (policy: Policy) => diagnoseSets(policy, tok, diagnosticSets!, { k: p.rollouts, greedy, sampling, reward: rewardOptions, seed: o.seed });

  const latest = o.checkpointDir ? readLatest(o.checkpointDir) : undefined;
  const start = latest?.step ?? 0;
  const metrics: GrpoStepMetric[] = latest ? ((latest.extra.metrics as GrpoStepMetric[] | undefined) ?? []).slice(0, start) : [];
  const evals: GrpoReport['evals'] = latest ? ((latest.extra.evals as GrpoReport['evals'] | undefined) ?? []) : [];
  let diagnosticsBefore = latest?.extra.diagnosticsBefore as Record<string, Record<string, PassStats>> | undefined;
  const right: RightSample[] = latest ? ((latest.extra.right as RightSample[] | undefined) ?? []).filter((x) => x.step <= start) : [];
  const reference = policyWith(config, o.seed, o.init);
  const actor = policyWith(config, o.seed, o.init);
  const trainerConfig: PolicyTrainerConfig = {
    policy: config, seed: o.seed, init: latest?.path ?? o.init, grpo: { clip: p.clip, klWeight: p.kl_weight },
    ...(o.checkpointDir ? { checkpointDir: o.checkpointDir } : {}),
  };
  const dp = await startDataParallel({ trainer: new URL('./trainer.ts', import.meta.url), config: trainerConfig, workers, compute: o.compute });
  let before: RolloutStats | undefined = evals[0]?.step === 0 ? (evals[0].metrics as unknown as RolloutStats) : undefined;
  let last: Evaluation | undefined;
  const evaluate = async (step: number) => {
    last = await evaluateEpisodes(actor, tok, evalSet, greedy, rewardOptions);
    evals.push({ step, metrics: roundStats({ ...last.stats }) });
    o.onProgress?.(step, steps, `eval: reward ${last.stats.reward.toFixed(2)}, accuracy ${(100 * last.stats.accuracy).toFixed(1)}%`);
    return last.stats;
  };
  const syncActor = async () => {
    const w = (await dp.weights())[0]!;
    actor.variables.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(w[i]!, v.shape, 'float32'))));
  };
  const t0 = performance.now();
  try {
    if (!before) before = await evaluate(0);
    if (diagnosticSets && !diagnosticsBefore) {
      o.onProgress?.(start, steps, 'diagnostics before');
      diagnosticsBefore = await diagnose(actor);
    }
    const end = Math.min(steps, start + (o.stopAfter ?? Infinity));
    for (let step = start; step < end; step++) {
      const t1 = performance.now();
      await syncActor();
      const r = rng(o.seed).fork(`grpo step ${step}`);
      // Epoch permutations of the kept prompts: over the run every prompt comes back `epochs` times.
      const prompts = batchIndices(pool.length, p.prompts_per_step, o.seed, step).map((i) => pool[i]!);
      const episodes = prompts.flatMap((e) => Array.from({ length: p.rollouts }, () => e));
      const outs = await runRollouts(actor, tok, episodes, sampling, r.fork('rollouts'));
      const rewards = episodes.map((e, i) => episodeReward(e, outs[i]!, rewardOptions));
      const totals = rewards.map((x) => x.total);
      const advantages = batchAdvantages(totals, p.rollouts);
      const flatGroup = prompts.map((_, g) => totals.slice(g * p.rollouts, (g + 1) * p.rollouts).every((v) => v === totals[g * p.rollouts]));
      const flatBy: Record<string, number> = {};
      prompts.forEach((e, g) => { const k = `flat_${groupOf(e)}`; flatBy[k] = (flatBy[k] ?? 0) + (flatGroup[g] ? 1 : 0); });
      outs.forEach((x, i) => { if (rewards[i]!.correct) right.push({ step: step + 1, episode: episodes[i]!.id, ids: x.ids, generated: x.generated, calls: x.calls.map((c) => c.code) }); });

      const examples = outs.map((x, i) => {
        const ex = rolloutExample(tok, x, config.imageSide, p.code_temperature > 0);
        // Dynamic sampling: a flat group's rows leave the loss (the loss averages over rows with a masked token).
        return p.dynamic_sampling && flatGroup[Math.floor(i / p.rollouts)] ? { ...ex, lossMask: Array.from(ex.lossMask!, () => 0) } : ex;
      });
      const host = collate(config, examples);
      const old = tokenLogProbs(actor, host);
      const ref = tokenLogProbs(reference, host);
      const [rows, cols] = host.tokens.shape as [number, number];
      const kl = meanKl(old, ref, host.mask.data, rows, cols);
      const entropy = meanNegLogp(old, host.mask.data);
      const lr = learningRate(step, { lr: p.lr, warmup: p.warmup, steps, minRatio: 0.1 });
      const lastStep = step + 1 === steps;
      const save = !!o.checkpointDir && (lastStep || (step + 1) % p.checkpoint_every === 0);
      const per = rows / p.minibatches;
      let loss = 0;
      for (let m = 0; m < p.minibatches; m++) {
        const a = m * per, b = a + per;
        const part = Object.fromEntries(Object.entries(host).map(([k, v]) => [k, sliceRows(v, a, b)]));
        loss += (await dp.step({
          ...part,
          [GRPO_KEYS.advantage]: { data: Float32Array.from(advantages.slice(a, b)), shape: [per] },
          [GRPO_KEYS.oldLogp]: { data: old.slice(a * cols, b * cols), shape: [per, cols] },
          [GRPO_KEYS.refLogp]: { data: ref.slice(a * cols, b * cols), shape: [per, cols] },
          [CTL]: controlRows(per, lr, 1, save && m === p.minibatches - 1, step),
        })) / p.minibatches;
      }
      const stats = rolloutStats(rewards);
      const metric: GrpoStepMetric = {
        step: step + 1, loss, lr, kl, entropy, flat_groups: flatGroup.filter(Boolean).length, ...flatBy,
        rollouts_per_s: (episodes.length * 1000) / (performance.now() - t1),
        ...roundStats({ ...stats }),
      };
      metrics.push(metric);
      o.onProgress?.(step + 1, steps, `reward ${stats.reward.toFixed(2)} acc ${(100 * stats.accuracy).toFixed(0)}% kl ${kl.toFixed(3)} flat ${metric.flat_groups}/${prompts.length}`);
      if (p.eval_every > 0 && (step + 1) % p.eval_every === 0 && !lastStep) {
        await syncActor();
        await evaluate(step + 1);
      }
      if (save) commitCheckpoint(o.checkpointDir!, step + 1, { metrics, evals, right, ...(diagnosticsBefore ? { diagnosticsBefore } : {}) });
    }
    await syncActor();
    const after = await evaluate(end);
    const diagnosticsAfter = diagnosticSets ? (o.onProgress?.(end, steps, 'diagnostics after'), await diagnose(actor)) : undefined;
    writeModel(actor, tok, o.out.model, { stage: o.stageName, steps: end });
    writeFileSync(o.out.curve, metrics.map((m) => JSON.stringify(roundMetric(m))).join('\n') + '\n');
    writeFileSync(o.out.samples, right.map((x) => JSON.stringify(x)).join('\n') + (right.length ? '\n' : ''));
    writeRolloutViews(last!, evalSet, o.out, 'rollouts');
    const report: GrpoReport = {
      steps: end, before: roundStats(before), after: roundStats(after), evals, trainEpisodes: pool.length, rightSamples: right.length,
      diagnostics: diagnosticsBefore && diagnosticsAfter ? { before: diagnosticsBefore, after: diagnosticsAfter } : null,
      rolloutsPerSec: median(metrics.slice(start).map((m) => m.rollouts_per_s)),
      trainSeconds: (performance.now() - t0) / 1000, resumedFrom: start, computeId: dp.computeId,
    };
    const { rolloutsPerSec: _a, trainSeconds: _b, resumedFrom: _c, computeId: _d, ...stable } = report;
    writeFileSync(o.out.eval, JSON.stringify(stable, null, 2) + '\n');
    return report;
  } finally {
    actor.dispose();
    reference.dispose();
    await dp.close();
  }
}

/** The greedy evaluation set: `perKind` held-out episodes of each group (task kind, general), in a seeded order. */
export function heldoutEval(heldout: readonly Episode[], perKind: number, seed: number): Episode[] {
  const r = rng(seed).fork('eval episodes');
  const groups = [...new Set(heldout.map(groupOf))].sort();
  return groups.flatMap((g) => r.shuffle(heldout.filter((e) => groupOf(e) === g)).slice(0, perKind));
}

/** Mean over masked tokens of -log p (the sampled tokens' surprisal: an estimate of the token entropy). */
function meanNegLogp(logp: Float32Array, mask: Float32Array): number {
  let s = 0, n = 0;
  for (let j = 0; j < mask.length; j++) if (mask[j]! > 0) { s -= logp[j]!; n++; }
  return n ? s / n : 0;
}

/** Curves keep learning figures only: wall-clock speed stays out of outputs (they must be a function of the seed). */
function roundMetric(m: GrpoStepMetric): Record<string, number> {
  const { rollouts_per_s: _s, ...rest } = m;
  return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, +(v as number).toPrecision(6)]));
}

const median = (xs: readonly number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : 0);

