// The KV-cached generation path (model/decoders.ts) against full recomputation: the same tokens greedy and sampled
// over ragged prompts with 1-3 images and stop tokens, each step's logits equal to forwardLogits' at that position,
// sequences that finish at different steps leaving the cache, and no tensor left behind.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs-core';
import { initCompute } from '../../vthinker/compute/setup.ts';
import { collate, type PolicyExample } from '../../vthinker/model/batch.ts';
import type { PolicyConfig } from '../../vthinker/model/config.ts';
import { cachedDecoder, recomputeDecoder } from '../../vthinker/model/decoders.ts';
import { createPolicy, generate, type GenerateOptions } from '../../vthinker/model/policy.ts';
import { rng } from '../../vthinker/util/random.ts';

const config: PolicyConfig = {
  vocab: 40, maxSeq: 24, maxImages: 3, imageSide: 16, convChannels: [8, 16], convStrides: [2, 2], coordChannels: true,
  dim: 32, layers: 2, heads: 4, mlpRatio: 2,
};

/** `n` prompts of 3-11 tokens over 1-3 images; image k becomes visible at position 3k + 1, so short prompts see fewer. */
function prompts(n: number, seed: number): PolicyExample[] {
  return Array.from({ length: n }, (_, i) => {
    const r = rng(seed * 100 + i);
    const len = 3 + ((i * 5) % 9), images = 1 + (i % 3);
    return {
      tokens: Array.from({ length: len }, () => r.int(1, config.vocab - 1)),
      visible: Array.from({ length: len }, (_, j) => Math.min(images, Math.floor((j + 2) / 3))),
      images: Array.from({ length: images }, () => Float32Array.from({ length: 16 * 16 * 3 }, () => r.next())),
    };
  });
}

test.before(async () => {
  await initCompute();
});

for (const [name, cfg] of [['grid', config], ['grid + pooled token', { ...config, pooledToken: true }]] as const) {
  test(`cached generation = full recomputation: greedy, sampled, code spans, stop tokens, ragged prompts (${name})`, () => {
    const p = createPolicy(cfg, 3);
    const ps = prompts(7, 1);
    const free = generate(cfg, p.params, ps, { maxTokens: 16, temperature: 0 }, rng(1), recomputeDecoder);
    // 16 new tokens overrun the 24-token window for the longer prompts only.
    assert.ok(free.finish.includes('window') && free.finish.includes('length'), `finishes ${free.finish}`);
    const stopTokens = [free.tokens[0]![2]!, free.tokens[4]![6]!];
    const runs: GenerateOptions[] = [
      { maxTokens: 16, temperature: 0, stopTokens },
      { maxTokens: 16, temperature: 1, stopTokens },
      { maxTokens: 16, temperature: 1.5, codeOpen: 7, codeClose: 8, codeTemperature: 0.5, stopTokens: [9] },
    ];
    for (const opts of runs) {
      for (const seed of [1, 2]) {
        const want = generate(cfg, p.params, ps, opts, rng(seed), recomputeDecoder);
        assert.equal(p.generate(ps, opts, rng(seed)), want, JSON.stringify(opts));
      }
    }
    p.dispose();
  });
}

test('sequences that finish at different steps leave the cache; the others continue as with full recomputation', () => {
  const p = createPolicy(config, 5);
  const ps = prompts(6, 2);
  const free = p.generate(ps, { maxTokens: 10, temperature: 0 }, rng(0));
  // Stop tokens first emitted by different sequences at different steps.
  const firstAt = (token: number) => free.tokens.map((t) => t.indexOf(token)).filter((k) => k >= 0);
  const candidates = [...new Set(free.tokens.flat())].filter((t) => Math.min(...firstAt(t)) >= 1);
  const stopTokens = candidates.slice(0, 2);
  const before = tf.memory().numTensors;
  const opts = { maxTokens: 10, temperature: 0, stopTokens };
  const cached = p.generate(ps, opts, rng(0));
  assert.is(tf.memory().numTensors, before, 'tensors left behind');
  assert.equal(cached, generate(config, p.params, ps, opts, rng(0), recomputeDecoder));
  const lengths = new Set(cached.tokens.map((t) => t.length));
  assert.ok(cached.finish.includes('stop') && lengths.size >= 3, `finishes ${cached.finish}, lengths ${[...lengths]}`);
  p.dispose();
});

test("each cached step's logits are forwardLogits' at that position (1e-4 relative), also after sequences leave", () => {
  const p = createPolicy(config, 4);
  const ps = prompts(5, 3);
  const extra = 8;
  const r = rng(9);
  const full = ps.map((e) => ({
    tokens: [...Array.from(e.tokens), ...Array.from({ length: extra }, () => r.int(1, config.vocab - 1))],
    visible: [...Array.from(e.visible), ...Array.from({ length: extra }, () => e.visible[e.visible.length - 1]!)],
    images: e.images,
  }));
  const reference = p.forward(collate(config, full));
  const want = reference.arraySync() as number[][][];
  reference.dispose();
  const before = tf.memory().numTensors;
  const decoder = cachedDecoder(config, p.params, collate(config, ps).images);
  const seqs = ps.map((e) => Array.from(e.tokens)), vis = ps.map((e) => Array.from(e.visible));
  let active = [0, 1, 2, 3, 4];
  for (let step = 0; step < extra; step++) {
    if (step === 3) active = [0, 2, 4];
    if (step === 6) active = [2];
    const logits = decoder.next(active, seqs, vis);
    active.forEach((i, k) => {
      const got = logits.subarray(k * config.vocab, (k + 1) * config.vocab);
      const row = want[i]![seqs[i]!.length - 1]!;
      const scale = Math.max(...row.map(Math.abs));
      const diff = Math.max(...row.map((v, j) => Math.abs(v - got[j]!)));
      assert.ok(diff <= 1e-4 * scale, `step ${step}, sequence ${i}: max difference ${diff} (scale ${scale})`);
    });
    for (const i of active) {
      seqs[i]!.push(full[i]!.tokens[seqs[i]!.length]!);
      vis[i]!.push(vis[i]!.at(-1)!);
    }
  }
  decoder.dispose();
  assert.is(tf.memory().numTensors, before, 'tensors left behind');
  p.dispose();
});

test.run();
