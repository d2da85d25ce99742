// Supervised training on trajectories: the curriculum's cold start (rl1: from the perception checkpoint or from the
// pretrained generalist, sandbox outputs masked, final rounds only) and the pretraining of that generalist itself
// (`direct`: the flywheel's questions answered directly, no call, plus general visual questions; from scratch).
// Before and after training the policy is evaluated by rollouts in the sandbox on a seeded split of the training
// samples it never trains on (and, for pretraining, on general questions of the validation share).
import * as tf from '@tensorflow/tfjs-core';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CurriculumOutputs, TrainingRunOptions } from './run-options.ts';
import { checkMix, episodesOf, evalEpisodes, sftDataset, splitSamples, type TaskMix } from '../curriculum/data.ts';
import { evaluateEpisodes, roundStats, type Evaluation, type RolloutStats } from '../curriculum/evaluate.ts';
import { familyMajority, goldViewReading, type ReadingResult } from '../curriculum/reading.ts';
import { rolloutSheet, rolloutRecords } from '../curriculum/sheets.ts';
import type { PolicyConfig } from '../model/config.ts';
import { createPolicy, type Policy } from '../model/policy.ts';
import { assignWeights, atomicWrite, readManifest, saveWeights } from '../model/weights.ts';
import type { Tokenizer } from '../policy/tokenizer.ts';
import type { Sample } from '../synth/types.ts';
import type { Episode } from '../curriculum/episode.ts';
import { collectOwnViews, ownViewEpisodes, ownViewsEnabled, withOwnViews, type OwnViewParams, type OwnViewSet } from '../curriculum/own-views.ts';
import { readLatest } from './checkpoint.ts';
import { runSft, type SftOptions, type StepMetric } from './sft.ts';

export interface ColdStartParams {
  steps: number;
  batch_size: number;
  lr: number;
  warmup: number;
  /** Copies per sample of each task kind in the training mix. */
  mix: Partial<TaskMix>;
  /** Reasoning with 2+ steps as one call per step (else the whole construction in one call). */
  multi_step: boolean;
  /** With 2+ calls, supervise only the final rounds (the paper's cold start). */
  final_rounds_only: boolean;
  /** Chart families' reasoning constructions end with a zoom (curriculum/zoom.ts); absent: false. */
  zoom?: boolean;
  /** Training samples kept aside for the rollout evaluations. */
  eval_samples: number;
  /** Evaluation episodes per task kind (drawn from those samples). */
  eval_per_kind: number;
  /** Generation rounds of an evaluation rollout (the paper's RL: 4). */
  max_rounds: number;
  checkpoint_every: number;
  /** Length buckets over windows of this many batches (vthinker/train/sft.ts); absent or 0: off. */
  bucket_window?: number;
  /** Own-view examples from `from_step` on (curriculum/own-views.ts); absent or from_step 0: gold trajectories only. */
  own_views?: OwnViewParams;
  /** Copies of each general question in the mix (pretraining; needs ColdStartOptions.general). */
  general?: number;
}

export interface ColdStartOptions extends TrainingRunOptions<CurriculumOutputs> {
  samples: readonly Sample[];
  tokenizer: Tokenizer;
  params: ColdStartParams;
  /** The policy's shape when training from scratch (ignored with `init`: the checkpoint's own config is used). */
  model: PolicyConfig;
  /** Weights to start from (the pretrained generalist's or the perception stage's model directory); absent: from scratch. */
  init?: string;
  /** Pretraining: reasoning answered directly (EpisodeOptions.direct), no own views. */
  direct?: boolean;
  /** General questions (vthinker/general): trained on `params.general` times each; `val` joins the evaluation. */
  general?: { train: readonly Episode[]; val: readonly Episode[] };
  stageName: string;
}

export interface ColdStartReport {
  steps: number;
  examples: Record<string, number>;
  dropped: number;
  parameters: number;
  config: PolicyConfig;
  init: string | null;
  before: RolloutStats;
  after: RolloutStats;
  evals: Array<{ step: number; metrics: Record<string, number> }>;
  /** After training, the evaluation's reasoning questions answered from the gold construction's view (reading.ts). */
  reading: ReadingResult & { prior: number };
  lossFirst: number;
  lossFinal: number;
  samplesPerSec: number;
  trainSeconds: number;
  resumedFrom: number;
  computeId: string;
  /** The own-view rollouts (null without them): how the questions went, and how many examples joined the mix. */
  ownViews: (OwnViewSet['stats'] & { step: number; examples: number }) | null;
}

/** The config of a checkpoint, checked against the tokenizer (a model never meets shifted ids). */
export function checkpointConfig(tok: Tokenizer, init: string): PolicyConfig {
  const config = readManifest(init).config;
  if (config.vocab !== tok.size) throw new Error(`${init}: the checkpoint's vocabulary has ${config.vocab} tokens, the tokenizer ${tok.size}: retrain the checkpoint with this tokenizer`);
  return config;
}

/** A main-thread policy holding `weights` (or the weights in `dir`). */
export function policyWith(config: PolicyConfig, seed: number, weights: Float32Array[] | string): Policy {
  const p = createPolicy(config, seed);
  if (typeof weights === 'string') assignWeights(p, weights);
  else p.variables.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(weights[i]!, v.shape, 'float32'))));
  return p;
}

/** Model directory: weights, tokenizer and config, so `vthinker infer` and `vthinker eval` can rebuild it. */
export function writeModel(policy: Policy, tok: Tokenizer, dir: string, meta: Record<string, unknown>): void {
  mkdirSync(dir, { recursive: true });
  saveWeights(policy, dir, meta);
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tok.toJSON()) + '\n');
  writeFileSync(join(dir, 'config.json'), JSON.stringify(policy.config, null, 2) + '\n');
}

/** rollouts.jsonl and the rollout sheet of an evaluation. */
export function writeRolloutViews(evaluation: Evaluation, episodes: Parameters<typeof rolloutSheet>[0], out: { rollouts: string; sheets: string }, name: string): void {
  writeFileSync(out.rollouts, rolloutRecords(episodes, evaluation).map((r) => JSON.stringify(r)).join('\n') + '\n');
  mkdirSync(out.sheets, { recursive: true });
  writeFileSync(join(out.sheets, `${name}.png`), rolloutSheet(episodes, evaluation.rollouts, evaluation.rewards));
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const median = (xs: readonly number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : 0);

export async function trainColdStart(o: ColdStartOptions): Promise<ColdStartReport> {
  const p = o.params, tok = o.tokenizer;
  const mix = checkMix(o.direct ? { reasoning: p.mix.reasoning ?? 1 } : p.mix, o.stageName);
  const config = o.init ? checkpointConfig(tok, o.init) : o.model;
  const { train, val } = splitSamples(o.samples, p.eval_samples, o.seed, o.stageName);
  const episodeOptions = { multiStep: p.multi_step, finalRoundsOnly: p.final_rounds_only, direct: o.direct ?? false, zoom: p.zoom ?? false, maxLength: config.maxSeq };
  const copies = p.general ?? 0;
  if (copies > 0 && !o.general) throw new Error(`${o.stageName}: general: ${copies} copies asked, but the stage passes no general questions`);
  const data = sftDataset(tok, train, mix, config.imageSide, { ...episodeOptions, ...(o.general && copies > 0 ? { extra: { episodes: o.general.train, copies } } : {}) });
  // The gold trajectories in the stage's own training format (direct answers for the base, one call per question
  // without multi_step), for the reading metric; rollouts read only their question and figure.
  const evalSet = [...evalEpisodes(val, mix, p.eval_per_kind, o.seed, episodeOptions), ...(o.general?.val.slice(0, p.eval_per_kind) ?? [])];
  const settings = { maxRounds: p.max_rounds, temperature: 0 };

  const start = o.init ? policyWith(config, o.seed, o.init) : createPolicy(config, o.seed);
  const parameters = start.params.count;
  const before = (await evaluateEpisodes(start, tok, evalSet, settings)).stats;
  start.dispose();
  o.onProgress?.(0, p.steps, `before: reward ${before.reward.toFixed(2)}, accuracy ${(100 * before.accuracy).toFixed(1)}%`);

  let last: Evaluation | undefined;
  const t0 = performance.now();
  const sft: SftOptions = {
    policy: config, seed: o.seed, ...(o.init ? { init: o.init } : {}),
    steps: p.steps, batchSize: p.batch_size, lr: p.lr, warmup: p.warmup,
    workers: o.workers ?? 1, compute: o.compute, checkpointDir: o.checkpointDir, checkpointEvery: p.checkpoint_every,
    bucketWindow: p.bucket_window ?? 0, evalEvery: p.steps,
    evaluate: async (policy, step) => {
      last = await evaluateEpisodes(policy, tok, evalSet, settings);
      o.onProgress?.(step, p.steps, `eval: reward ${last.stats.reward.toFixed(2)}, accuracy ${(100 * last.stats.accuracy).toFixed(1)}%`);
      return roundStats({ ...last.stats });
    },
    onProgress: (m: StepMetric) => {
      if ((m.step + 1) % 10 === 0) o.onProgress?.(m.step + 1, p.steps, `loss ${m.loss.toFixed(3)}`);
    },
    stopAfter: o.stopAfter,
  };
  const ownPlan = !o.direct && ownViewsEnabled(p.own_views, p.steps) ? p.own_views! : undefined;
  const { res, ownViews } = ownPlan
    ? await trainWithOwnViews(data, sft, ownPlan, { tok, config, train, episodeOptions, onProgress: o.onProgress })
    : { res: await runSft(data, sft), ownViews: null };
  const trainSeconds = (performance.now() - t0) / 1000;
  const policy = policyWith(config, o.seed, res.weights);
  last ??= await evaluateEpisodes(policy, tok, evalSet, settings);
  const flywheelEval = evalSet.filter((e) => e.source !== 'general');
  const reading = { ...goldViewReading(policy, tok, flywheelEval), prior: familyMajority(episodesOf(train, ['reasoning'], episodeOptions), flywheelEval) };
  writeModel(policy, tok, o.out.model, { stage: o.stageName, steps: res.stepsDone });
  policy.dispose();
  writeFileSync(o.out.curve, res.metrics.map((m) => JSON.stringify({ step: m.step + 1, loss: +m.loss.toPrecision(5), lr: +m.lr.toPrecision(8) })).join('\n') + '\n');
  writeRolloutViews(last, evalSet, o.out, 'rollouts');

  const losses = res.metrics.map((m) => m.loss);
  const window = Math.max(1, Math.min(50, Math.floor(losses.length / 5)));
  const report: ColdStartReport = {
    steps: res.stepsDone, examples: { total: data.length, ...data.kinds }, dropped: data.dropped, parameters, config, init: o.init ? 'checkpoint' : null,
    before: roundStats(before), after: roundStats(last.stats),
    evals: [{ step: 0, metrics: roundStats({ ...before }) }, ...res.evals], reading,
    lossFirst: mean(losses.slice(0, window)), lossFinal: mean(losses.slice(-window)),
    samplesPerSec: median(res.metrics.map((m) => m.samplesPerSec)), trainSeconds, resumedFrom: res.resumedFrom, computeId: res.computeId,
    ownViews,
  };
  const { samplesPerSec: _s, trainSeconds: _t, resumedFrom: _r, computeId: _c, ...stable } = report;
  writeFileSync(o.out.eval, JSON.stringify(stable, null, 2) + '\n');
  return report;
}

interface OwnViewContext {
  tok: Tokenizer;
  config: PolicyConfig;
  train: readonly Sample[];
  episodeOptions: Parameters<typeof episodesOf>[2];
  onProgress?: ColdStartOptions['onProgress'];
}

/**
 * Two phases of one run (one schedule, one optimizer state): gold trajectories up to `from_step`, then the policy of
 * that step rolls out the own-view questions, and training goes on over gold and own-view examples. The rollouts are
 * kept in the checkpoint directory, so a run killed after them resumes without redoing them (they need the weights
 * of `from_step`, which later checkpoints replace); without a checkpoint directory a temporary one serves.
 */
async function trainWithOwnViews(data: ReturnType<typeof sftDataset>, sft: SftOptions, plan: OwnViewParams, c: OwnViewContext) {
  const dir = sft.checkpointDir ?? mkdtempSync(join(tmpdir(), 'vthinker-own-views-'));
  const file = join(dir, 'own-views.json');
  const reasoning = episodesOf(c.train, ['reasoning'], c.episodeOptions);
  try {
    let stopAfter = sft.stopAfter;
    // Where this call picked up: phase one's start when it trains phase one (the second phase then always resumes
    // from the from_step checkpoint phase one just wrote), else the second phase's.
    let resumedFrom: number | undefined;
    if (!existsSync(file)) {
      // Phase one stops at from_step with a checkpoint there: every gcd(checkpoint_every, from_step) steps is a
      // schedule that saves at from_step and at every step the plain schedule saves at.
      const done = readLatest(dir)?.step ?? 0;
      const toRollouts = Math.min(plan.from_step - done, sft.stopAfter ?? Infinity);
      const a = await runSft(data, { ...sft, checkpointDir: dir, checkpointEvery: gcd(sft.checkpointEvery ?? plan.from_step, plan.from_step), stopAfter: toRollouts, evalEvery: undefined, evaluate: undefined });
      if (a.stepsDone < plan.from_step) return { res: a, ownViews: null }; // stopped early (stopAfter)
      if (stopAfter !== undefined) stopAfter -= a.stepsDone - a.resumedFrom;
      resumedFrom = a.resumedFrom;
      const episodes = ownViewEpisodes(c.tok, reasoning, plan.samples, sft.seed, c.config.maxSeq);
      c.onProgress?.(plan.from_step, sft.steps, `own views: rolling out ${episodes.length} questions`);
      const policy = policyWith(c.config, sft.seed, a.weights);
      const set = await collectOwnViews(policy, c.tok, episodes, plan.from_step);
      policy.dispose();
      atomicWrite(file, JSON.stringify(set) + '\n');
    }
    const set = JSON.parse(readFileSync(file, 'utf8')) as OwnViewSet;
    const mixed = withOwnViews(data, c.tok, reasoning, set, plan.copies, c.config.imageSide, c.config.maxImages, c.config.maxSeq);
    c.onProgress?.(plan.from_step, sft.steps, `own views: ${set.stats.drew} drew, ${set.stats.failed} failed, answer accuracy ${(100 * set.stats.answer_accuracy).toFixed(1)}%; ${mixed.ownViews} examples x ${plan.copies}`);
    const res = await runSft(mixed, { ...sft, checkpointDir: dir, stopAfter });
    return { res: { ...res, resumedFrom: resumedFrom ?? res.resumedFrom }, ownViews: { ...set.stats, step: set.step, examples: mixed.ownViews } };
  } finally {
    if (!sft.checkpointDir) rmSync(dir, { recursive: true, force: true });
  }
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
