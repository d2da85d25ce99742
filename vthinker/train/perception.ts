// Perception alignment (the paper's point-level SFT on V-Perception): the policy learns to answer "locate ..."
// questions about a figure with the paper's coordinate dict, {'P1': (x, y)}, coordinates as bin tokens.
//
// A training sequence:  <bos> <image> question  <think> short reasoning </think> <answer> P1 cx cy </answer> <eos>
// with the loss on the response only (from <think> through <eos>). The reasoning names the colour of each labelled
// point the question mentions ("A is red and B is blue"; labels have fixed colours) or the colour of the shape it
// asks about ("box is green"), so the token right before the answer already points at what to look for.
// Images are rendered on demand (64 px from the 128-unit scene), so no fixed image set is held or memorised.
//
// Evaluation: greedy generation on a seeded validation split; per question level, the share of questions whose
// every target is within `tolerance` pixels (scene units) of the prediction, the mean pixel error over predicted
// targets, and parse failures (no answer dict, or a target key missing).
import * as tf from '@tensorflow/tfjs-core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PolicyExample } from '../model/batch.ts';
import type { PolicyConfig } from '../model/config.ts';
import { createPolicy, type Policy } from '../model/policy.ts';
import { assignWeights, readManifest, saveWeights } from '../model/weights.ts';
import type { Tokenizer } from '../policy/tokenizer.ts';
import { contactSheet, encodePng, renderScene, toModelInput } from '../scene/render.ts';
import type { ColorName, SceneElement } from '../scene/types.ts';
import { answerText, PERCEPTION_LEVELS, type PerceptionLevel, type PerceptionSample } from '../synth/perception.ts';
import { labelColor } from '../synth/layout.ts';
import { rng } from '../util/random.ts';
import type { TrainingRunOptions } from './run-options.ts';
import { runSft, type Dataset, type StepMetric } from './sft.ts';

/** The sequence of one sample: ids, where the prompt ends, and the text (for inspection). */
export interface PerceptionSequence {
  ids: number[];
  promptLength: number;
  text: string;
}

const LABEL_WORD = /^[A-Z]$/;

/** The short reasoning before the answer (words of the shared vocabulary). */
export function thinkText(sample: Pick<PerceptionSample, 'question' | 'level'>): string {
  const words = sample.question.split(' ');
  const labels = words.filter((w) => LABEL_WORD.test(w));
  if (labels.length) return [...new Set(labels)].map((l) => `${l} is ${labelColor(l)}`).join(' and ');
  const shape = words.find((w) => w === 'box' || w === 'circle' || w === 'triangle');
  const color = shape ? words[words.indexOf(shape) - 1] : undefined;
  if (shape && color) return `${shape} is ${color}`;
  return [...words.filter((w) => w === 'highest' || w === 'lowest'), 'point'].join(' ');
}

/** The prompt text and the response text of a sample (the answer is the paper's dict form). */
export function perceptionTexts(sample: Pick<PerceptionSample, 'question' | 'level' | 'answerText'>): { prompt: string; response: string } {
  return {
    prompt: `<image> ${sample.question}`,
    response: `<think> ${thinkText(sample)} </think> <answer> ${sample.answerText} </answer>`,
  };
}

/** Token ids of a sample: <bos> prompt response <eos>; throws on a word outside the vocabulary. */
export function encodePerception(tok: Tokenizer, sample: Pick<PerceptionSample, 'question' | 'level' | 'answerText'>): PerceptionSequence {
  const { prompt, response } = perceptionTexts(sample);
  const p = tok.encode(prompt, { strict: true }), r = tok.encode(response, { strict: true });
  return { ids: [tok.ids.bos, ...p, ...r, tok.ids.eos], promptLength: 1 + p.length, text: `${prompt} ${response}` };
}

/** The 64-px (or `side`) model input of a sample's figure. */
export function perceptionImage(sample: PerceptionSample, side: number): Float32Array {
  return toModelInput(renderScene(sample.scene, [], { size: sample.scene.width }), side);
}

/** A training example: loss on the response (from <think> through <eos>), the image visible from <image> on. */
export function perceptionExample(tok: Tokenizer, sample: PerceptionSample, side: number, seq = encodePerception(tok, sample)): PolicyExample {
  const n = seq.ids.length;
  return {
    tokens: seq.ids,
    lossMask: seq.ids.map((_, i) => (i >= seq.promptLength ? 1 : 0)),
    visible: seq.ids.map((_, i) => (i >= 1 ? 1 : 0)),
    images: [perceptionImage(sample, side)],
  };
}

/** The generation prompt of a sample (the example cut after the question). */
export function perceptionPrompt(tok: Tokenizer, sample: PerceptionSample, side: number): PolicyExample {
  const seq = encodePerception(tok, sample);
  const ids = seq.ids.slice(0, seq.promptLength);
  return { tokens: ids, visible: ids.map((_, i) => (i >= 1 ? 1 : 0)), images: [perceptionImage(sample, side)] };
}

/** A seeded split: `valCount` validation samples (at least one training sample stays), the rest for training. */
export function splitPerception<T>(samples: readonly T[], valCount: number, seed: number): { train: T[]; val: T[] } {
  const n = samples.length;
  const k = Math.max(0, Math.min(valCount, n - 1));
  const order = rng(seed).fork('perception split').shuffle(Array.from({ length: n }, (_, i) => i));
  const isVal = new Set(order.slice(0, k));
  return { train: samples.filter((_, i) => !isVal.has(i)), val: order.slice(0, k).sort((a, b) => a - b).map((i) => samples[i]!) };
}

/** The extent of a scene's elements and targets (labels and strokes get `margin` units of room). */
function extent(sample: PerceptionSample, margin: number): [number, number, number, number] {
  const xs: number[] = [], ys: number[] = [];
  const add = (p: readonly [number, number], r = 0) => {
    xs.push(p[0] - r, p[0] + r);
    ys.push(p[1] - r, p[1] + r);
  };
  for (const e of sample.scene.elements) {
    if (e.kind === 'point' || e.kind === 'text') add(e.at, margin);
    else if (e.kind === 'segment') { add(e.from, margin); add(e.to, margin); }
    else if (e.kind === 'polyline' || e.kind === 'polygon') e.points.forEach((p) => add(p, margin));
    else if (e.kind === 'circle') add(e.center, e.r + 2);
    else if (e.kind === 'rect') { add(e.at, 2); add([e.at[0] + e.w, e.at[1] + e.h], 2); }
  }
  Object.values(sample.targets).forEach((t) => add(t, 2));
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/**
 * The sample with its whole figure (and targets) translated by a seeded offset that keeps everything on the canvas:
 * a label-preserving augmentation (no question refers to absolute position, only to relative ones such as "top" or
 * "leftmost"), so a fixed set of figures gives fresh images and fresh answers instead of being memorised.
 */
export function shiftedSample(sample: PerceptionSample, seed: number): PerceptionSample {
  const r = rng(seed);
  const [x0, y0, x1, y1] = extent(sample, 9);
  const w = sample.scene.width, h = sample.scene.height;
  const dx = x1 - x0 >= w ? 0 : r.int(Math.ceil(-x0), Math.floor(w - x1));
  const dy = y1 - y0 >= h ? 0 : r.int(Math.ceil(-y0), Math.floor(h - y1));
  if (dx === 0 && dy === 0) return sample;
  const m = (p: readonly [number, number]): [number, number] => [p[0] + dx, p[1] + dy];
  const elements = sample.scene.elements.map((e): SceneElement => {
    switch (e.kind) {
      case 'point': case 'text': case 'rect': return { ...e, at: m(e.at) };
      case 'segment': return { ...e, from: m(e.from), to: m(e.to) };
      case 'polyline': case 'polygon': return { ...e, points: e.points.map(m) };
      case 'circle': return { ...e, center: m(e.center) };
    }
  });
  const targets = Object.fromEntries(Object.entries(sample.targets).map(([k, t]) => [k, m(t)]));
  return { ...sample, scene: { ...sample.scene, elements }, targets, answerText: answerText(targets) };
}

/** Shifted copies of the training set a lazy dataset spans (one per epoch of a long run: far more than any run uses). */
const SHIFT_COPIES = 64;

/**
 * A lazy training set: example i renders its image when asked. `surfaceBoost` repeats the surface questions that
 * many extra times (a static curriculum weight: locating named points is what the other levels build on). With
 * `shift`, the set spans SHIFT_COPIES translated copies of every sample (shiftedSample, seeded by seed and index).
 */
export function perceptionDataset(tok: Tokenizer, samples: readonly PerceptionSample[], side: number, surfaceBoost = 0, shift?: { seed: number }): Dataset {
  const index: number[] = [];
  samples.forEach((s, i) => {
    for (let k = 0; k < (s.level === 'surface' ? 1 + surfaceBoost : 1); k++) index.push(i);
  });
  const seqs = samples.map((s) => encodePerception(tok, s));
  if (!shift) return { length: index.length, get: (i) => perceptionExample(tok, samples[index[i]!]!, side, seqs[index[i]!]!) };
  const n = index.length, base = rng(shift.seed).fork('perception shift').seed;
  return {
    length: n * SHIFT_COPIES,
    get: (i) => {
      const s = shiftedSample(samples[index[i % n]!]!, (base ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
      return perceptionExample(tok, s, side);
    },
  };
}

/** Reads the point dict out of an answer text: {'P1': (x, y), ...} (null when there is no pair at all). */
export function parsePointDict(text: string): Record<string, [number, number]> | null {
  const out: Record<string, [number, number]> = {};
  let found = false;
  for (const m of text.matchAll(/'([^']+)'\s*:\s*\(\s*([+-]?\d+(?:\.\d+)?)\s*,\s*([+-]?\d+(?:\.\d+)?)\s*\)/g)) {
    out[m[1]!] = [Number(m[2]), Number(m[3])];
    found = true;
  }
  return found ? out : null;
}

/** The answer dict of generated response ids (the last <answer> span; null when there is none or no pair). */
export function predictedPoints(tok: Tokenizer, ids: readonly number[]): Record<string, [number, number]> | null {
  const start = ids.lastIndexOf(tok.ids.answer);
  if (start < 0) return null;
  let end = ids.indexOf(tok.ids.answerEnd, start);
  if (end < 0) end = ids.length;
  return parsePointDict(tok.decodeAnswer(ids.slice(start + 1, end).filter((id) => id !== tok.ids.eos && id !== tok.ids.pad)));
}

export interface LevelScore {
  count: number;
  /** Share of questions whose every target is within the tolerance. */
  accuracy: number;
  /** Mean Euclidean error in pixels (scene units) over targets that have a prediction; null when none has. */
  meanErrorPx: number | null;
  /** Share of questions without a usable answer (no dict, or a target key missing). */
  parseFailures: number;
}

export interface PerceptionScore {
  tolerancePx: number;
  overall: LevelScore;
  levels: Record<PerceptionLevel, LevelScore>;
}

export interface ScoredItem {
  level: PerceptionLevel;
  targets: Record<string, [number, number]>;
  predicted: Record<string, [number, number]> | null;
}

/** Scores predictions against targets (pure; used by evaluatePerception and the tests). */
export function scorePerception(items: readonly ScoredItem[], tolerancePx: number): PerceptionScore {
  const acc = () => ({ count: 0, correct: 0, err: 0, errN: 0, fail: 0 });
  const by = new Map<PerceptionLevel | 'all', ReturnType<typeof acc>>([['all', acc()], ...PERCEPTION_LEVELS.map((l) => [l, acc()] as const)]);
  for (const it of items) {
    let ok = true, missing = !it.predicted;
    const errs: number[] = [];
    for (const [k, [x, y]] of Object.entries(it.targets)) {
      const p = it.predicted?.[k];
      if (!p) { ok = false; missing = true; continue; }
      const e = Math.hypot(p[0] - x, p[1] - y);
      errs.push(e);
      if (!(e <= tolerancePx)) ok = false;
    }
    for (const a of [by.get('all')!, by.get(it.level)!]) {
      a.count++;
      if (ok) a.correct++;
      if (missing) a.fail++;
      for (const e of errs) { a.err += e; a.errN++; }
    }
  }
  const fin = (a: ReturnType<typeof acc>): LevelScore => ({
    count: a.count, accuracy: a.count ? a.correct / a.count : 0, meanErrorPx: a.errN ? a.err / a.errN : null, parseFailures: a.count ? a.fail / a.count : 0,
  });
  return {
    tolerancePx,
    overall: fin(by.get('all')!),
    levels: Object.fromEntries(PERCEPTION_LEVELS.map((l) => [l, fin(by.get(l)!)])) as Record<PerceptionLevel, LevelScore>,
  };
}

/** Greedy answers of the policy for `samples`. */
export function predictPerception(policy: Policy, tok: Tokenizer, samples: readonly PerceptionSample[], opts: { batchSize?: number; maxTokens?: number } = {}): Array<Record<string, [number, number]> | null> {
  const bs = opts.batchSize ?? 64, side = policy.config.imageSide;
  const out: Array<Record<string, [number, number]> | null> = [];
  for (let i = 0; i < samples.length; i += bs) {
    const prompts = samples.slice(i, i + bs).map((s) => perceptionPrompt(tok, s, side));
    const gen = policy.generate(prompts, { maxTokens: opts.maxTokens ?? 32, temperature: 0, stopTokens: [tok.ids.answerEnd, tok.ids.eos] }, rng(0));
    for (const ids of gen.tokens) out.push(predictedPoints(tok, ids));
  }
  return out;
}

export function evaluatePerception(policy: Policy, tok: Tokenizer, samples: readonly PerceptionSample[], tolerancePx: number): { score: PerceptionScore; predictions: Array<Record<string, [number, number]> | null> } {
  const predictions = predictPerception(policy, tok, samples);
  return { score: scorePerception(samples.map((s, i) => ({ level: s.level, targets: s.targets, predicted: predictions[i]! })), tolerancePx), predictions };
}

/** Flat metric names of a score (for eval records and stage metrics): accuracy, mean_error_px, <level>_accuracy... */
export function flatScore(s: PerceptionScore): Record<string, number> {
  const m: Record<string, number> = {
    accuracy: s.overall.accuracy, mean_error_px: s.overall.meanErrorPx ?? -1, parse_failures: s.overall.parseFailures,
  };
  for (const l of PERCEPTION_LEVELS) {
    m[`${l}_accuracy`] = s.levels[l].accuracy;
    m[`${l}_mean_error_px`] = s.levels[l].meanErrorPx ?? -1;
  }
  return m;
}

/**
 * The error sheet: each validation figure with its true points (green), the predicted points (red) and the error
 * vector between them (grey), each mark ringed; one row per level, captioned with the error in pixels.
 */
export function errorSheet(samples: readonly PerceptionSample[], predictions: ReadonlyArray<Record<string, [number, number]> | null>, perRow = 6): Buffer {
  const rows: ReturnType<typeof renderScene>[][] = [], captions: string[][] = [], labels: string[] = [];
  for (const level of PERCEPTION_LEVELS) {
    const idx = samples.map((s, i) => [s, i] as const).filter(([s]) => s.level === level).slice(0, perRow);
    if (!idx.length) continue;
    const row: ReturnType<typeof renderScene>[] = [], cap: string[] = [];
    for (const [s, i] of idx) {
      const extra: SceneElement[] = [];
      const errs: number[] = [];
      const mark = (id: string, at: readonly [number, number], color: ColorName): SceneElement => ({ kind: 'point', id, at: [Math.max(0, Math.min(s.scene.width, at[0])), Math.max(0, Math.min(s.scene.height, at[1]))], color });
      for (const [k, t] of Object.entries(s.targets)) {
        const p = predictions[i]?.[k];
        // Rings around the marks keep them apart from the figure's own (coloured) points.
        if (p) {
          const q = mark(`pred-${k}`, p, 'red') as { at: readonly [number, number] };
          extra.push({ kind: 'segment', from: t, to: q.at, color: 'grey' }, mark(`pred-${k}`, p, 'red'), { kind: 'circle', center: q.at, r: 4, color: 'red' });
          errs.push(Math.hypot(p[0] - t[0], p[1] - t[1]));
        }
        extra.push(mark(`true-${k}`, t, 'green'), { kind: 'circle', center: t, r: 4, color: 'green' });
      }
      row.push(renderScene({ ...s.scene, elements: [...s.scene.elements, ...extra] }, [], { size: 160 }));
      cap.push(errs.length === Object.keys(s.targets).length ? `err ${errs.map((e) => e.toFixed(0)).join('/')} px` : 'no answer');
    }
    rows.push(row);
    captions.push(cap);
    labels.push(level);
  }
  return encodePng(contactSheet(rows, { captions, rowLabels: labels, cell: 160 }));
}

/** The model part of the perception params (snake_case, as in params.yaml). */
export interface PerceptionModelParams {
  dim: number;
  layers: number;
  heads: number;
  mlp_ratio: number;
  image_side: number;
  conv_channels: number[];
  conv_strides: number[];
  max_seq: number;
  /** Images per episode the policy takes (the original + sandbox views); 1 when only perception is trained. */
  max_images?: number;
  /** One pooled token per image beside its grid (PolicyConfig.pooledToken). */
  pooled_token?: boolean;
}

export interface PerceptionParams {
  steps: number;
  batch_size: number;
  lr: number;
  warmup: number;
  tolerance_px: number;
  val_count: number;
  eval_every: number;
  /** Extra repetitions of surface questions in the training mix (0 = the data's own mix). */
  surface_boost: number;
  /** Train on randomly translated figures (shiftedSample) instead of the fixed ones. */
  augment_shift: boolean;
  checkpoint_every: number;
  model: PerceptionModelParams;
}

export function perceptionPolicyConfig(tok: Tokenizer, m: PerceptionModelParams): PolicyConfig {
  return {
    vocab: tok.size, maxSeq: m.max_seq, maxImages: m.max_images ?? 1, imageSide: m.image_side,
    convChannels: [...m.conv_channels], convStrides: [...m.conv_strides], coordChannels: true,
    ...(m.pooled_token ? { pooledToken: true } : {}),
    dim: m.dim, layers: m.layers, heads: m.heads, mlpRatio: m.mlp_ratio,
  };
}

/** A perception run; `out`: the model directory, the curve (jsonl), the eval report (json), the sheets directory. */
export interface TrainPerceptionOptions extends TrainingRunOptions<{ model: string; curve: string; eval: string; sheets: string }> {
  samples: readonly PerceptionSample[];
  tokenizer: Tokenizer;
  params: PerceptionParams;
  /** The model directory to start from (the pretrained generalist); its config must be the one `params.model` describes. */
  init?: string;
}

export interface PerceptionReport {
  tolerancePx: number;
  steps: number;
  trainCount: number;
  valCount: number;
  parameters: number;
  config: PolicyConfig;
  before: PerceptionScore;
  after: PerceptionScore;
  /** Overall accuracy / mean error at each periodic evaluation. */
  evals: Array<{ step: number; metrics: Record<string, number> }>;
  lossFirst: number;
  lossFinal: number;
  /** Wall-clock figures: returned, not written to eval.json (outputs must be a function of the seed). */
  samplesPerSec: number;
  trainSeconds: number;
  resumedFrom: number;
  computeId: string;
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

export async function trainPerception(o: TrainPerceptionOptions): Promise<PerceptionReport> {
  const p = o.params, tok = o.tokenizer;
  // From a checkpoint, its own shape (the generalist shares params.model); the vocabulary must be the tokenizer's.
  const config = o.init ? readManifest(o.init).config : perceptionPolicyConfig(tok, p.model);
  if (config.vocab !== tok.size) throw new Error(`perception: the model in ${o.init} has ${config.vocab} tokens, the tokenizer ${tok.size}: retrain it with this tokenizer`);
  const { train, val } = splitPerception(o.samples, p.val_count, o.seed);
  const longest = Math.max(...o.samples.map((s) => encodePerception(tok, s).ids.length));
  if (longest > config.maxSeq) throw new Error(`perception: a sequence has ${longest} tokens, more than model.max_seq ${config.maxSeq}`);
  const untrained = createPolicy(config, o.seed);
  if (o.init) assignWeights(untrained, o.init);
  const parameters = untrained.params.count;
  const before = evaluatePerception(untrained, tok, val, p.tolerance_px).score;
  untrained.dispose();
  o.onProgress?.(0, p.steps, `before: accuracy ${(100 * before.overall.accuracy).toFixed(1)}%`);

  let last: PerceptionScore | undefined, lastPredictions: Array<Record<string, [number, number]> | null> = [];
  const t0 = performance.now();
  const res = await runSft(perceptionDataset(tok, train, config.imageSide, p.surface_boost, p.augment_shift ? { seed: o.seed } : undefined), {
    policy: config, seed: o.seed, ...(o.init ? { init: o.init } : {}), steps: p.steps, batchSize: p.batch_size, lr: p.lr, warmup: p.warmup,
    workers: o.workers ?? 1, compute: o.compute, checkpointDir: o.checkpointDir, checkpointEvery: p.checkpoint_every,
    evalEvery: p.eval_every,
    evaluate: (policy, step) => {
      const e = evaluatePerception(policy, tok, val, p.tolerance_px);
      last = e.score;
      lastPredictions = e.predictions;
      const m = flatScore(e.score);
      o.onProgress?.(step, p.steps, `eval: accuracy ${(100 * m.accuracy!).toFixed(1)}%, mean error ${m.mean_error_px!.toFixed(1)} px`);
      return m;
    },
    onProgress: (m: StepMetric) => {
      if ((m.step + 1) % 10 === 0) o.onProgress?.(m.step + 1, p.steps, `loss ${m.loss.toFixed(3)}`);
    },
    stopAfter: o.stopAfter,
  });
  const trainSeconds = (performance.now() - t0) / 1000;

  // The final model; when the last eval did not happen in this call (a resume after the end), evaluate now.
  const policy = createPolicy(config, o.seed);
  policy.variables.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(res.weights[i]!, v.shape, 'float32'))));
  if (!last || res.evals.at(-1)?.step !== res.stepsDone) {
    const e = evaluatePerception(policy, tok, val, p.tolerance_px);
    last = e.score;
    lastPredictions = e.predictions;
  }
  mkdirSync(o.out.model, { recursive: true });
  saveWeights(policy, o.out.model, { stage: 'perception', steps: res.stepsDone });
  writeFileSync(join(o.out.model, 'tokenizer.json'), JSON.stringify(tok.toJSON()) + '\n');
  writeFileSync(join(o.out.model, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  policy.dispose();

  // Outputs hold only what the seed determines (the engine's early cut-off and the smoke lock compare digests): the
  // wall-clock figures (samples/s, seconds, the step a resume started at) are returned, for metrics and logs.
  writeFileSync(o.out.curve, res.metrics.map((m) => JSON.stringify({ step: m.step + 1, loss: round(m.loss, 5), lr: round(m.lr, 8) })).join('\n') + '\n');
  mkdirSync(o.out.sheets, { recursive: true });
  writeFileSync(join(o.out.sheets, 'errors.png'), errorSheet(val, lastPredictions));

  const losses = res.metrics.map((m) => m.loss);
  const window = Math.max(1, Math.min(50, Math.floor(losses.length / 5)));
  const report: PerceptionReport = {
    tolerancePx: p.tolerance_px, steps: res.stepsDone, trainCount: train.length, valCount: val.length, parameters, config,
    before, after: last,
    evals: [{ step: 0, metrics: flatScore(before) }, ...res.evals],
    lossFirst: mean(losses.slice(0, window)), lossFinal: mean(losses.slice(-window)),
    // Steady-state speed: the median step (evaluation and worker start-up excluded).
    samplesPerSec: median(res.metrics.map((m) => m.samplesPerSec)),
    trainSeconds, resumedFrom: res.resumedFrom, computeId: res.computeId,
  };
  const { samplesPerSec: _s, trainSeconds: _t, resumedFrom: _r, ...stable } = report;
  writeFileSync(o.out.eval, JSON.stringify(stable, null, 2) + '\n');
  return report;
}

const round = (v: number, digits: number) => Number(v.toPrecision(digits));
function median(xs: readonly number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
