// The rft control (rejection-sampling fine-tuning): supervised training on the right rollouts GRPO itself sampled
// (rl2's `samples`), from the same cold start, with as many optimizer updates as rl2 made (steps x minibatches), each
// on as many sequences as one of rl2's minibatches, at rl2's learning rate and schedule, on the same tokens rl2's
// loss sees (sampled ones; greedy code spans out). Only the objective differs: the NLL of right samples instead of
// the clipped, group-normalised policy gradient with its KL. If M0 beats rft, RL's gain is not just "more training
// on these prompts' right answers".
import { createSandbox } from '../sandbox/index.ts';
import type { Episode } from '../curriculum/episode.ts';
import { evaluateEpisodes, roundStats, type RolloutStats } from '../curriculum/evaluate.ts';
import { originalImage } from '../curriculum/examples.ts';
import type { PolicyExample } from '../model/batch.ts';
import type { RasterImage } from '../scene/render.ts';
import type { Tokenizer } from '../policy/tokenizer.ts';
import type { Rollout } from '../policy/rollout.ts';
import { checkpointConfig, policyWith, writeModel } from './cold-start.ts';
import { rolloutExample, type GrpoParams, type RightSample } from './grpo-loop.ts';
import type { TrainingRunOptions } from './run-options.ts';
import { runSft } from './sft.ts';
import { writeFileSync } from 'node:fs';

/** The views of a sampled rollout, rebuilt by replaying its calls in a fresh sandbox on the episode's figure. */
export function replayViews(episode: Episode, calls: readonly string[], maxCalls: number): RasterImage[] {
  const original = originalImage(episode.scene);
  const sandbox = createSandbox({ id: episode.id, image: original, sceneSize: episode.scene, limits: { maxCalls } });
  const views = [original];
  for (const code of calls) {
    const r = sandbox.execute(code);
    if (r.ok) views.push(r.image);
  }
  return views;
}

/** rft's update plan: rl2's number of updates, each on one of its minibatches' worth of sequences. */
export function rftPlan(rl2Steps: number, p: Pick<GrpoParams, 'prompts_per_step' | 'rollouts' | 'minibatches' | 'warmup'>): { updates: number; batchSize: number; warmup: number } {
  return { updates: rl2Steps * p.minibatches, batchSize: (p.prompts_per_step * p.rollouts) / p.minibatches, warmup: p.warmup * p.minibatches };
}

export interface RftOptions extends TrainingRunOptions<{ model: string; curve: string; eval: string }> {
  /** rl2's right rollouts (every one has a right answer or a passing drawing). */
  samples: readonly RightSample[];
  /** The RL prompts, to resolve each sample's episode. */
  pool: readonly Episode[];
  heldout: readonly Episode[];
  tokenizer: Tokenizer;
  params: GrpoParams;
  /** How many steps rl2 ran (its eval.json). */
  rl2Steps: number;
  init: string;
}

export interface RftReport { updates: number; batchSize: number; samples: number; before: RolloutStats; after: RolloutStats; lossFirst: number; lossFinal: number; resumedFrom: number }

export async function trainRft(o: RftOptions): Promise<RftReport> {
  const p = o.params, tok = o.tokenizer;
  const config = checkpointConfig(tok, o.init);
  const byId = new Map(o.pool.map((e) => [e.id, e]));
  const maxCalls = config.maxImages - 1;
  const examples: { length: number; get(i: number): PolicyExample; lengthOf(i: number): number } = {
    length: o.samples.length,
    get: (i) => {
      const s = o.samples[i]!;
      const episode = byId.get(s.episode);
      if (!episode) throw new Error(`rft: rl2's sample of ${s.episode} is not among the RL prompts; re-run rl2 and rft on the same rl-data`);
      const rollout = { ids: s.ids, generated: s.generated, images: replayViews(episode, s.calls, maxCalls) } as unknown as Rollout;
      return rolloutExample(tok, rollout, config.imageSide, p.code_temperature > 0);
    },
    lengthOf: (i) => o.samples[i]!.ids.length,
  };
  const plan = rftPlan(o.rl2Steps, p);
  const rewardOptions = { weights: p.reward, withConsistency: p.with_consistency, partialCredit: p.partial_credit };
  const greedy = { maxRounds: p.max_rounds, temperature: 0 };
  const start = policyWith(config, o.seed, o.init);
  const before = (await evaluateEpisodes(start, tok, o.heldout, greedy, rewardOptions)).stats;
  start.dispose();
  let after: RolloutStats | undefined;
  if (o.samples.length === 0) {
    // Rejection sampling kept nothing (an untrained policy in the smoke profile): nothing to fine-tune on, so the
    // control is the cold start itself, with 0 updates on record.
    const policy = policyWith(config, o.seed, o.init);
    writeModel(policy, tok, o.out.model, { stage: 'rft', updates: 0 });
    policy.dispose();
    writeFileSync(o.out.curve, '');
    const report: RftReport = { updates: 0, batchSize: plan.batchSize, samples: 0, before: roundStats(before), after: roundStats(before), lossFirst: 0, lossFinal: 0, resumedFrom: 0 };
    const { resumedFrom: _r, ...stable } = report;
    writeFileSync(o.out.eval, JSON.stringify(stable, null, 2) + '\n');
    return report;
  }
  const res = await runSft(examples, {
    policy: config, seed: o.seed, init: o.init, steps: plan.updates, batchSize: plan.batchSize, lr: p.lr, warmup: plan.warmup, minLrRatio: 0.1,
    workers: o.workers ?? 1, compute: o.compute, checkpointDir: o.checkpointDir, checkpointEvery: p.checkpoint_every * p.minibatches,
    evalEvery: plan.updates,
    evaluate: async (policy) => roundStats({ ...(after = (await evaluateEpisodes(policy, tok, o.heldout, greedy, rewardOptions)).stats) }),
    onProgress: (m) => { if ((m.step + 1) % 10 === 0) o.onProgress?.(m.step + 1, plan.updates, `loss ${m.loss.toFixed(3)}`); },
    stopAfter: o.stopAfter,
  });
  const policy = policyWith(config, o.seed, res.weights);
  after ??= (await evaluateEpisodes(policy, tok, o.heldout, greedy, rewardOptions)).stats;
  writeModel(policy, tok, o.out.model, { stage: 'rft', updates: res.stepsDone });
  policy.dispose();
  writeFileSync(o.out.curve, res.metrics.map((m) => JSON.stringify({ step: m.step + 1, loss: +m.loss.toPrecision(5), lr: +m.lr.toPrecision(8) })).join('\n') + '\n');
  const losses = res.metrics.map((m) => m.loss);
  const w = Math.max(1, Math.min(20, Math.floor(losses.length / 5)));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const report: RftReport = {
    updates: res.stepsDone, batchSize: plan.batchSize, samples: o.samples.length, before: roundStats(before), after: roundStats(after),
    lossFirst: mean(losses.slice(0, w)), lossFinal: mean(losses.slice(-w)), resumedFrom: res.resumedFrom,
  };
  const { resumedFrom: _r, ...stable } = report;
  writeFileSync(o.out.eval, JSON.stringify(stable, null, 2) + '\n');
  return report;
}
