// A seeded synthetic batch of the policy (no rendering, no data files), for the benches and the GPU check.
import { collate, type PolicyExample, type PolicyHostBatch } from '../vthinker/model/batch.ts';
import type { PolicyConfig } from '../vthinker/model/config.ts';
import { rng } from '../vthinker/util/random.ts';

/** `batch` seeded examples of `tokens` tokens over `images` images, every token after the first quarter a target. */
export function syntheticBatch(c: PolicyConfig, batch: number, tokens: number, images: number): PolicyHostBatch {
  const examples = Array.from({ length: batch }, (_, seed): PolicyExample => {
    const r = rng(seed);
    const ids = Array.from({ length: tokens }, () => r.int(1, c.vocab - 1));
    const every = Math.max(1, Math.floor(tokens / images));
    return {
      tokens: ids,
      visible: ids.map((_, i) => Math.min(images, 1 + Math.floor(i / every))),
      lossMask: ids.map((_, i) => (i > tokens / 4 ? 1 : 0)),
      images: Array.from({ length: images }, () => Float32Array.from({ length: c.imageSide ** 2 * 3 }, () => r.next())),
    };
  });
  return collate(c, examples);
}
