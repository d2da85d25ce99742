// Batched rollouts (curriculum/rollouts.ts): exactly the rollouts of the sequential driver (policy/rollout.ts) run
// one episode at a time with policy.generate on that one prompt, for an untrained and a briefly trained policy;
// seeded sampling; the sandbox's call cap keeps an episode's images within the policy's maxImages.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initCompute } from '../../vthinker/compute/setup.ts';
import type { Episode } from '../../vthinker/curriculum/episode.ts';
import { promptIds, visibleCounts } from '../../vthinker/curriculum/examples.ts';
import { runRollouts, taskOfEpisode, type RolloutSettings } from '../../vthinker/curriculum/rollouts.ts';
import type { PolicyExample } from '../../vthinker/model/batch.ts';
import type { GenerateOptions, Generation, Policy } from '../../vthinker/model/policy.ts';
import { rollout, type Rollout } from '../../vthinker/policy/rollout.ts';
import { createSandbox } from '../../vthinker/sandbox/index.ts';
import { sameRaster, toModelInput } from '../../vthinker/scene/render.ts';
import { rng } from '../../vthinker/util/random.ts';
import { allEpisodes, briefPolicy, shortSamples, tinyConfig, tok } from './fixtures/tiny.ts';

const samples = shortSamples(3, 12);
/** Mixed kinds and prompt lengths in one batch. */
const episodes = allEpisodes(samples).slice(0, 15);

test.before(async () => {
  await initCompute();
});

/** The reference: one episode at a time through the sequential driver, policy.generate on that prompt alone (same settings). */
async function sequential(policy: Policy, eps: readonly Episode[], settings: RolloutSettings): Promise<Rollout[]> {
  const side = policy.config.imageSide;
  const out: Rollout[] = [];
  for (const e of eps) {
    const task = taskOfEpisode(e);
    out.push(await rollout({
      tokenizer: tok,
      sandbox: createSandbox({ id: task.id, image: task.image, sceneSize: task.sceneSize, limits: { ...settings.limits, maxCalls: Math.min(settings.limits?.maxCalls ?? Infinity, policy.config.maxImages - 1) } }),
      prompt: promptIds(tok, e),
      image: task.image,
      maxRounds: settings.maxRounds,
      maxLength: policy.config.maxSeq,
      generate: (req) => policy.generate([{ tokens: req.prefix, visible: visibleCounts(tok, req.prefix), images: req.images.map((img) => toModelInput(img, side)) }], {
        maxTokens: Math.min(settings.maxRoundTokens ?? 48, req.maxNewTokens), temperature: req.mode === 'code' ? 0 : settings.temperature,
        codeOpen: tok.ids.code, codeClose: tok.ids.codeEnd, stopTokens: req.stopAt,
      }, rng(0)).tokens[0]!,
    }));
  }
  return out;
}

function assertSame(eps: readonly Episode[], batched: readonly Rollout[], seq: readonly Rollout[]): void {
  assert.is(batched.length, seq.length);
  batched.forEach((b, i) => {
    const s = seq[i]!;
    const what = `episode ${i} (${eps[i]!.id})`;
    assert.equal(b.ids, s.ids, `${what}: ids`);
    assert.equal(b.generated, s.generated, `${what}: generated`);
    assert.is(b.promptLength, s.promptLength, what);
    assert.equal(b.calls, s.calls, `${what}: calls`);
    assert.is(b.text, s.text, `${what}: text`);
    assert.is(b.rounds, s.rounds, what);
    assert.is(b.stop, s.stop, what);
    assert.is(b.images.length, s.images.length, `${what}: images`);
    b.images.forEach((img, k) => assert.ok(sameRaster(img, s.images[k]!), `${what}: image ${k}`));
  });
}

test('untrained policy, greedy: batched rollouts equal one-at-a-time rollouts', async () => {
  const policy = await briefPolicy(tinyConfig(), samples, 0);
  const settings: RolloutSettings = { maxRounds: 4, temperature: 0 };
  const batched = await runRollouts(policy, tok, episodes, settings, rng(7));
  assertSame(episodes, batched, await sequential(policy, episodes, settings));
  // An untrained policy writes to the length cap; the prompt is <bos> <image> question.
  for (const [i, r] of batched.entries()) {
    assert.equal(r.ids.slice(0, r.promptLength), promptIds(tok, episodes[i]!));
    assert.ok(r.ids.length <= policy.config.maxSeq);
  }
  // A per-call token cap: a block never closed ends the rollout at the cap (max-length), the same either way.
  const capped: RolloutSettings = { maxRounds: 4, temperature: 0, maxRoundTokens: 6 };
  const short = await runRollouts(policy, tok, episodes, capped, rng(7));
  assertSame(episodes, short, await sequential(policy, episodes, capped));
  for (const r of short) assert.ok(r.ids.length - r.promptLength <= 6 * 2 * 4, `${r.ids.length - r.promptLength} tokens`);
  assert.ok(short.some((r) => r.stop === 'max-length' && r.ids.length < policy.config.maxSeq));
  policy.dispose();
});

test('briefly trained policy, greedy: multi-round rollouts with calls equal one-at-a-time rollouts', async () => {
  const config = tinyConfig({ maxImages: 4 });
  const policy = await briefPolicy(config, samples.slice(0, 8), 30);
  const settings: RolloutSettings = { maxRounds: 4, temperature: 0 };
  // Seen and unseen episodes: finished, failed and length-capped rollouts side by side in one batch.
  const eps = [...episodes.slice(0, 9), ...allEpisodes(shortSamples(4, 3))];
  const batched = await runRollouts(policy, tok, eps, settings, rng(1));
  const seq = await sequential(policy, eps, settings);
  assertSame(eps, batched, seq);
  // The batch really mixed episodes in different states: some called the sandbox and got a view back, some answered.
  assert.ok(batched.some((r) => r.images.length >= 2), 'no rollout got a view back');
  assert.ok(batched.some((r) => r.stop === 'answer'), 'no rollout answered');
  assert.ok(new Set(batched.map((r) => r.ids.length)).size > 3, 'rollouts all have the same length');
  // Sampling: a function of the rng's seed.
  const hot: RolloutSettings = { maxRounds: 4, temperature: 1.5 };
  const few = eps.slice(0, 6);
  const a = await runRollouts(policy, tok, few, hot, rng(5));
  const b = await runRollouts(policy, tok, few, hot, rng(5));
  const c = await runRollouts(policy, tok, few, hot, rng(6));
  assert.equal(a.map((r) => r.ids), b.map((r) => r.ids));
  assert.not.equal(a.map((r) => r.ids), c.map((r) => r.ids));
  policy.dispose();
});

/** A stand-in policy that always opens a code block and draws a point: every round is a call. */
function callingPolicy(maxImages: number) {
  const config = tinyConfig({ maxImages, maxSeq: 200 });
  const batches: number[] = [];
  const seenImages: number[] = [];
  const codeIds = tok.encode('<code> point 10 10 </code>').slice(1);
  const generate = (prompts: readonly PolicyExample[], opts: GenerateOptions): Generation => {
    batches.push(prompts.length);
    for (const p of prompts) seenImages.push(p.images.length);
    const code = opts.stopTokens!.includes(tok.ids.codeEnd);
    const ids = code ? codeIds : [tok.ids.think, tok.ids.code];
    return { tokens: prompts.map(() => [...ids]), finish: prompts.map(() => 'stop' as const) };
  };
  return { policy: { config, generate } as unknown as Policy, batches, seenImages };
}

test('the call cap: an episode never has more images than maxImages, whatever the sandbox limit', async () => {
  const eps = episodes.slice(0, 5);
  const { policy, batches, seenImages } = callingPolicy(3);
  const outs = await runRollouts(policy, tok, eps, { maxRounds: 6, temperature: 0, limits: { maxCalls: 8 } }, rng(0));
  for (const r of outs) {
    assert.is(r.images.length, 3);
    assert.is(r.calls.length, 5); // the 6th round's code is not run
    assert.equal(r.calls.map((c) => c.ok), [true, true, false, false, false]);
    assert.match(r.calls[2]!.message!, /call limit reached \(2 calls per rollout\)/);
    assert.is(r.stop, 'max-rounds');
  }
  assert.ok(Math.max(...seenImages) <= 3, `a prompt carried ${Math.max(...seenImages)} images`);
  // Batched: each generation call serves all five episodes at once (6 rounds x text + code).
  assert.equal(batches, Array.from({ length: 12 }, () => 5));
  // A tighter sandbox limit still applies.
  const tight = await runRollouts(callingPolicy(3).policy, tok, eps, { maxRounds: 6, temperature: 0, limits: { maxCalls: 1 } }, rng(0));
  for (const r of tight) {
    assert.is(r.images.length, 2);
    assert.equal(r.calls.map((c) => c.ok), [true, false, false, false, false]);
  }
});

test('tasks (not episodes) roll out too; results keep input order', async () => {
  const { policy } = callingPolicy(4);
  const tasks = episodes.slice(0, 3).map(taskOfEpisode).reverse();
  const outs = await runRollouts(policy, tok, tasks, { maxRounds: 2, temperature: 0 }, rng(0));
  outs.forEach((r, i) => {
    assert.ok(sameRaster(r.images[0]!, tasks[i]!.image));
    assert.equal(r.ids.slice(0, r.promptLength), promptIds(tok, { spec: { question: tasks[i]!.question } }));
    assert.is(r.calls.length, 1);
    assert.is(r.images.length, 2);
  });
});

test.run();
