// Supervised training on interactive trajectories: the curriculum's cold start (rl1: from the perception
// checkpoint or from scratch, sandbox outputs masked, final rounds only) and the direct-answer base model (the same
// reasoning questions and answers, no call, no perception alignment). Before and after training the policy is
// evaluated by rollouts in the sandbox on a seeded split of the training samples it never trains on.
import * as tf from '@tensorflow/tfjs-core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CurriculumOutputs, TrainingRunOptions } from './run-options.ts';
import { checkMix, episodesOf, evalEpisodes, sftDataset, splitSamples, type TaskMix } from '../curriculum/data.ts';
import { evaluateEpisodes, roundStats, type Evaluation, type RolloutStats } from '../curriculum/evaluate.ts';
import { familyMajority, goldViewReading, type ReadingResult } from '../curriculum/reading.ts';
import { rolloutSheet, rolloutRecords } from '../curriculum/sheets.ts';
import type { PolicyConfig } from '../model/config.ts';
import { createPolicy, type Policy } from '../model/policy.ts';
import { assignWeights, readManifest, saveWeights } from '../model/weights.ts';
import type { Tokenizer } from '../policy/tokenizer.ts';
import type { Sample } from '../synth/types.ts';
import { runSft, type StepMetric } from './sft.ts';

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
  /** Training samples kept aside for the rollout evaluations. */
  eval_samples: number;
  /** Evaluation episodes per task kind (drawn from those samples). */
  eval_per_kind: number;
  /** Generation rounds of an evaluation rollout (the paper's RL: 4). */
  max_rounds: number;
  checkpoint_every: number;
}

export interface ColdStartOptions extends TrainingRunOptions<CurriculumOutputs> {
  samples: readonly Sample[];
  tokenizer: Tokenizer;
  params: ColdStartParams;
  /** The policy's shape when training from scratch (ignored with `init`: the checkpoint's own config is used). */
  model: PolicyConfig;
  /** Weights to start from (the perception stage's model directory). */
  init?: string;
  /** Train the base model: reasoning only, answered directly (EpisodeOptions.direct). */
  direct?: boolean;
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
  const episodeOptions = { multiStep: p.multi_step, finalRoundsOnly: p.final_rounds_only, direct: o.direct ?? false, maxLength: config.maxSeq };
  const data = sftDataset(tok, train, mix, config.imageSide, episodeOptions);
  // The gold trajectories in the stage's own training format (direct answers for the base, one call per question
  // without multi_step), for the reading metric; rollouts read only their question and figure.
  const evalSet = evalEpisodes(val, mix, p.eval_per_kind, o.seed, episodeOptions);
  const settings = { maxRounds: p.max_rounds, temperature: 0 };

  const start = o.init ? policyWith(config, o.seed, o.init) : createPolicy(config, o.seed);
  const parameters = start.params.count;
  const before = (await evaluateEpisodes(start, tok, evalSet, settings)).stats;
  start.dispose();
  o.onProgress?.(0, p.steps, `before: reward ${before.reward.toFixed(2)}, accuracy ${(100 * before.accuracy).toFixed(1)}%`);

  let last: Evaluation | undefined;
  const t0 = performance.now();
  const res = await runSft(data, {
    policy: config, seed: o.seed, ...(o.init ? { init: o.init } : {}),
    steps: p.steps, batchSize: p.batch_size, lr: p.lr, warmup: p.warmup,
    workers: o.workers ?? 1, compute: o.compute, checkpointDir: o.checkpointDir, checkpointEvery: p.checkpoint_every,
    evalEvery: p.steps,
    evaluate: async (policy, step) => {
      last = await evaluateEpisodes(policy, tok, evalSet, settings);
      o.onProgress?.(step, p.steps, `eval: reward ${last.stats.reward.toFixed(2)}, accuracy ${(100 * last.stats.accuracy).toFixed(1)}%`);
      return roundStats({ ...last.stats });
    },
    onProgress: (m: StepMetric) => {
      if ((m.step + 1) % 10 === 0) o.onProgress?.(m.step + 1, p.steps, `loss ${m.loss.toFixed(3)}`);
    },
    stopAfter: o.stopAfter,
  });
  const trainSeconds = (performance.now() - t0) / 1000;
  const policy = policyWith(config, o.seed, res.weights);
  last ??= await evaluateEpisodes(policy, tok, evalSet, settings);
  const reading = { ...goldViewReading(policy, tok, evalSet), prior: familyMajority(episodesOf(train, ['reasoning'], episodeOptions), evalSet) };
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
  };
  const { samplesPerSec: _s, trainSeconds: _t, resumedFrom: _r, computeId: _c, ...stable } = report;
  writeFileSync(o.out.eval, JSON.stringify(stable, null, 2) + '\n');
  return report;
}
