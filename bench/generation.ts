// Generation speed: tokens/s of 100-token rollouts at batch 64 with the KV cache (what policy.generate runs) against
// the full-recompute path it replaced (recomputeDecoder: every token re-runs the decoder over the whole prefix and
// re-projects the image memory), for each profile's policy, in one run, the two paths interleaved.
//   node --import tsx bench/generation.ts [profiles=tiny,wide] [new tokens=100] [repeats=1]
// Prompts are rollout-like: 16-24 tokens over 1-3 images; sampling at temperature 1 with no stop token, so every
// sequence writes exactly `newTokens` tokens. The same seed on both paths gives the same tokens (counted in `sameTokens`).
import { fileURLToPath } from 'node:url';
import type { ComputeOptions } from '../vthinker/compute/options.ts';
import { initCompute } from '../vthinker/compute/setup.ts';
import type { PolicyExample } from '../vthinker/model/batch.ts';
import type { PolicyConfig } from '../vthinker/model/config.ts';
import { cachedDecoder, recomputeDecoder, type DecoderFactory } from '../vthinker/model/decoders.ts';
import { createPolicy, generate } from '../vthinker/model/policy.ts';
import { rng } from '../vthinker/util/random.ts';
import { profilePolicy } from './train-step.ts';

export interface PathFigures {
  seconds: number;
  tokens: number;
  tokensPerSec: number;
  msPerToken: number;
  /** Wall time per decoding step (one new token for every sequence of the batch). */
  msPerStep: number;
}

export interface GenerationFigures {
  profile: string;
  batch: number;
  newTokens: number;
  /** Median over the repeats. */
  recompute: PathFigures;
  cached: PathFigures;
  /** cached / recompute tokens/s. */
  speedup: number;
  /** Sequences whose tokens are the same on both paths (of `batch`). */
  sameTokens: number;
}

/** Rollout-like prompts: 16-24 tokens, 1-3 images, image k visible from its (synthetic) <image> token on. */
function prompts(c: PolicyConfig, batch: number): PolicyExample[] {
  return Array.from({ length: batch }, (_, i) => {
    const r = rng(1000 + i);
    const n = 16 + (i % 9), k = 1 + (i % 3);
    return {
      tokens: Array.from({ length: n }, () => r.int(1, c.vocab - 1)),
      visible: Array.from({ length: n }, (_, j) => Math.min(k, 1 + Math.floor(j / 6))),
      images: Array.from({ length: k }, () => Float32Array.from({ length: c.imageSide ** 2 * 3 }, () => r.next())),
    };
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Old vs new generation speed for each profile: the full recompute on `stacks.recompute` (the native stack of before,
 * by default: today's path as it was) against the KV cache on `stacks.cached` (the fused stack).
 */
export async function measureGeneration(
  profiles: readonly string[] = ['tiny', 'wide'], newTokens = 100, repeats = 1, batch = 64,
  stacks: { recompute: ComputeOptions; cached: ComputeOptions } = { recompute: { backend: 'wasm', fused: false }, cached: { backend: 'wasm', fused: true } },
): Promise<GenerationFigures[]> {
  const out: GenerationFigures[] = [];
  for (const profile of profiles) {
    const c = profilePolicy(profile);
    if (24 + newTokens > c.maxSeq) throw new Error(`${profile}: 24-token prompts + ${newTokens} new tokens exceed maxSeq ${c.maxSeq}`);
    const policy = createPolicy(c, 1);
    const ps = prompts(c, batch);
    const opts = { maxTokens: newTokens, temperature: 1 };
    const run = async (decoder: DecoderFactory) => {
      await initCompute(decoder === cachedDecoder ? stacks.cached : stacks.recompute);
      const t0 = performance.now();
      const g = generate(c, policy.params, ps, opts, rng(1), decoder);
      return { seconds: (performance.now() - t0) / 1000, tokens: g.tokens };
    };
    for (const d of [recomputeDecoder, cachedDecoder]) {
      await initCompute(d === cachedDecoder ? stacks.cached : stacks.recompute);
      generate(c, policy.params, ps.slice(0, 2), { maxTokens: 2, temperature: 1 }, rng(0), d);
    }
    const times = { recompute: [] as number[], cached: [] as number[] };
    let same = 0, made = 0;
    for (let rep = 0; rep < repeats; rep++) {
      const old = await run(recomputeDecoder), now = await run(cachedDecoder);
      times.recompute.push(old.seconds);
      times.cached.push(now.seconds);
      made = now.tokens.reduce((s, t) => s + t.length, 0);
      same = now.tokens.filter((t, i) => t.join() === old.tokens[i]!.join()).length;
    }
    policy.dispose();
    const figures = (seconds: number): PathFigures => ({
      seconds, tokens: made, tokensPerSec: made / seconds, msPerToken: (1000 * seconds) / made, msPerStep: (1000 * seconds) / newTokens,
    });
    const recompute = figures(median(times.recompute)), cached = figures(median(times.cached));
    out.push({ profile, batch, newTokens, recompute, cached, speedup: cached.tokensPerSec / recompute.tokensPerSec, sameTokens: same });
  }
  return out;
}

export function formatGeneration(f: GenerationFigures): string {
  const path = (name: string, p: PathFigures) =>
    `${name} ${p.tokensPerSec.toFixed(0)} tokens/s (${p.msPerToken.toFixed(2)} ms/token, ${p.msPerStep.toFixed(1)} ms/step, ${p.seconds.toFixed(1)} s)`;
  return `${f.profile}: batch ${f.batch} x ${f.newTokens} new tokens: ${path('recompute', f.recompute)}; ${path('cached', f.cached)}; ` +
    `${f.speedup.toFixed(1)}x; same tokens ${f.sameTokens}/${f.batch}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const profiles = (process.argv[2] ?? 'tiny,wide').split(',');
  for (const f of await measureGeneration(profiles, Number(process.argv[3] ?? 100), Number(process.argv[4] ?? 1))) console.log(formatGeneration(f));
}
