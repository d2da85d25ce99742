// The policy: parameters + the network, with the training losses and batched sampling built on top.
import * as tf from '@tensorflow/tfjs-core';
import type { HostBatch } from '../compute/trainer.ts';
import type { Rng } from '../util/random.ts';
import { asTensors, collate, type PolicyExample, type PolicyTensors } from './batch.ts';
import { validateConfig, type PolicyConfig } from './config.ts';
import { cachedDecoder, type DecoderFactory } from './decoders.ts';
import { forwardLogits } from './network.ts';
import { Params, paramSpecs } from './params.ts';

export interface GenerateOptions {
  /** New tokens per sequence at most (also bounded by maxSeq). */
  maxTokens: number;
  /** Sampling temperature of ordinary (text) tokens; 0 = greedy. */
  temperature: number;
  /** Token ids opening/closing a code span: inside it tokens use `codeTemperature`. */
  codeOpen?: number;
  codeClose?: number;
  /** Sampling temperature inside a code span; default 0: greedy, as the paper decodes code. */
  codeTemperature?: number;
  /** Text tokens are drawn from the `topK` most likely (0 or absent: all) ... */
  topK?: number;
  /** ... and from the smallest set of them whose probability reaches `topP` (1 or absent: all), as the paper's RL. */
  topP?: number;
  /** A sequence ends after emitting one of these (the token is included in the output). */
  stopTokens?: readonly number[];
}

export interface Generation {
  /** The new tokens of each prompt (prompt not included). */
  tokens: number[][];
  /** Why each ended: a stop token, maxTokens, or the maxSeq window. */
  finish: Array<'stop' | 'length' | 'window'>;
}

export interface Policy {
  readonly config: PolicyConfig;
  readonly params: Params;
  readonly variables: tf.Variable[];
  /** Logits [B, T, V]; position t scores token t+1. */
  forward(batch: PolicyTensors | HostBatch): tf.Tensor3D;
  /** Masked mean next-token cross-entropy (the SFT / NLL loss): mean over tokens t >= 1 with mask[t] = 1. */
  loss(batch: PolicyTensors | HostBatch): tf.Scalar;
  /** log p(tokens[t] | tokens[<t], images) as [B, T]; column 0 (no prefix) is 0. Differentiable (for GRPO). */
  logProbs(batch: PolicyTensors | HostBatch): tf.Tensor2D;
  /** Batched sampling continuing each prompt: one prefill pass, then one cached decoder step per new token. */
  generate(prompts: readonly PolicyExample[], opts: GenerateOptions, rng: Rng): Generation;
  dispose(): void;
}

export function createPolicy(config: PolicyConfig, seed: number): Policy {
  const c = validateConfig(config);
  const params = new Params(paramSpecs(c), seed);
  const forward = (batch: PolicyTensors | HostBatch) => tf.tidy(() => {
    const t = asTensors(batch);
    return forwardLogits(c, params, t);
  });
  /** Per-position log-probs of the next token, [B, T-1], plus the inputs. */
  const nextLogProbs = (batch: PolicyTensors | HostBatch) => {
    const t = asTensors(batch);
    const [b, n] = t.tokens.shape as [number, number];
    if (n < 2) throw new Error('sequences need at least 2 tokens to score');
    const inTokens = tf.slice(t.tokens, [0, 0], [b, n - 1]);
    const inVisible = tf.slice(t.visible, [0, 0], [b, n - 1]);
    const logits = forwardLogits(c, params, { tokens: inTokens, visible: inVisible, images: t.images });
    const target = tf.reshape(tf.cast(tf.slice(t.tokens, [0, 1], [b, n - 1]), 'int32'), [-1]);
    const logp = tf.logSoftmax(tf.reshape(logits, [b * (n - 1), c.vocab]));
    const picked = tf.sum(tf.mul(tf.oneHot(target, c.vocab), logp), -1);
    return { lp: tf.reshape(picked, [b, n - 1]), t, b, n };
  };
  const policy: Policy = {
    config: c,
    params,
    variables: params.list,
    forward,
    loss: (batch) => tf.tidy(() => {
      const { lp, t, b, n } = nextLogProbs(batch);
      if (!t.mask) throw new Error('loss needs a mask');
      const mask = tf.cast(tf.slice(t.mask, [0, 1], [b, n - 1]), 'float32');
      return tf.div(tf.neg(tf.sum(tf.mul(lp, mask))), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
    }),
    logProbs: (batch) => tf.tidy(() => {
      const { lp, b } = nextLogProbs(batch);
      return tf.concat([tf.zeros([b, 1]), lp], 1) as tf.Tensor2D;
    }),
    generate: (prompts, opts, r) => generate(c, params, prompts, opts, r),
    dispose: () => params.dispose(),
  };
  return policy;
}

/**
 * Batched sampling continuing each prompt (Policy.generate). `makeDecoder` computes the next-token logits: the KV
 * cache by default; recomputeDecoder is the full-recompute path that tests and bench/generation.ts compare it with.
 */
export function generate(
  c: PolicyConfig, params: Params, prompts: readonly PolicyExample[], opts: GenerateOptions, r: Rng, makeDecoder: DecoderFactory = cachedDecoder,
): Generation {
  const b = prompts.length;
  const seqs = prompts.map((p) => Array.from(p.tokens));
  const vis = prompts.map((p) => Array.from(p.visible));
  const out: number[][] = prompts.map(() => []);
  const finish: Generation['finish'] = prompts.map(() => 'length');
  const done = prompts.map((p) => p.tokens.length >= c.maxSeq);
  done.forEach((d, i) => d && (finish[i] = 'window'));
  const inCode = seqs.map((s) => {
    let open = false;
    for (const id of s) {
      if (id === opts.codeOpen) open = true;
      else if (id === opts.codeClose) open = false;
    }
    return open;
  });
  const stops = new Set(opts.stopTokens ?? []);
  if (b === 0) return { tokens: out, finish };
  const host = collate(c, prompts.map((p) => ({ ...p, lossMask: undefined })));
  const decoder = makeDecoder(c, params, host.images);
  try {
    for (let step = 0; step < opts.maxTokens && done.some((d) => !d); step++) {
      // Only unfinished sequences are decoded: a batch whose lengths differ would otherwise pay full price until
      // its longest member stops.
      const active = done.flatMap((d, i) => (d ? [] : [i]));
      const values = decoder.next(active, seqs, vis);
      for (let k = 0; k < active.length; k++) {
        const i = active[k]!;
        const row = values.subarray(k * c.vocab, (k + 1) * c.vocab);
        const temp = inCode[i] ? (opts.codeTemperature ?? 0) : opts.temperature;
        const id = temp <= 0 ? argmax(row) : inCode[i] ? sample(row, temp, r) : sample(row, temp, r, opts.topK, opts.topP);
        seqs[i]!.push(id);
        vis[i]!.push(vis[i]!.at(-1) ?? 0);
        out[i]!.push(id);
        if (id === opts.codeOpen) inCode[i] = true;
        else if (id === opts.codeClose) inCode[i] = false;
        if (stops.has(id)) {
          done[i] = true;
          finish[i] = 'stop';
        } else if (seqs[i]!.length >= c.maxSeq) {
          done[i] = true;
          finish[i] = 'window';
        }
      }
    }
  } finally {
    decoder.dispose();
  }
  return { tokens: out, finish };
}

/** First index of the maximum (deterministic ties). */
export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

/**
 * A draw from softmax(row / temperature), in float64 on the host so it is the same on every backend; with `topK`
 * and `topP`, from the renormalised nucleus (the k most likely tokens, then the fewest of them whose mass reaches p;
 * ties broken by token id, so it is deterministic).
 */
export function sample(row: ArrayLike<number>, temperature: number, r: Rng, topK = 0, topP = 1): number {
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) max = Math.max(max, row[i]!);
  let total = 0;
  const p = new Float64Array(row.length);
  for (let i = 0; i < row.length; i++) total += p[i] = Math.exp((row[i]! - max) / temperature);
  if ((topK > 0 && topK < row.length) || topP < 1) {
    const order = Array.from(p.keys()).sort((a, b) => p[b]! - p[a]! || a - b);
    let kept = 0, mass = 0;
    const limit = topK > 0 ? Math.min(topK, order.length) : order.length;
    while (kept < limit && (kept === 0 || mass < topP * total)) mass += p[order[kept++]!]!;
    for (let k = kept; k < order.length; k++) p[order[k]!] = 0;
    total = mass;
  }
  let u = r.next() * total;
  for (let i = 0; i < p.length; i++) if ((u -= p[i]!) < 0) return i;
  return argmax(row);
}
