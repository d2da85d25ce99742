// Concurrent requests share forward passes: generation calls that arrive within a short window (or while the policy
// is busy) are answered by one batched policy.generate, grouped by what makes a call different (mode, stop tokens,
// temperature), as curriculum/rollouts.ts groups the episodes of one batch. Greedy outputs do not depend on the
// company a sequence keeps in a batch, so a served rollout writes what the in-process one writes.
import { visibleCounts } from '../curriculum/examples.ts';
import type { Policy } from '../model/policy.ts';
import type { GenerateRequest } from '../policy/rollout.ts';
import type { Tokenizer } from '../policy/tokenizer.ts';
import { toModelInput, type RasterImage } from '../scene/render.ts';
import type { Rng } from '../util/random.ts';

/** Tokens per generation call, as rollouts.ts's default (maxRoundTokens): the same cap gives the same rounds. */
export const ROUND_TOKENS = 48;

export interface BatchRequest {
  request: GenerateRequest;
  /** The images of the conversation (the request's own list holds only the original). */
  images: readonly RasterImage[];
  temperature: number;
}

interface Waiting extends BatchRequest {
  resolve: (ids: readonly number[]) => void;
  reject: (error: unknown) => void;
}

export interface BatcherOptions {
  /** How long the first request waits for company, in ms. */
  windowMs?: number;
  /** Most sequences per forward pass. */
  maxBatch?: number;
}

export interface BatchStats {
  calls: number;
  sequences: number;
  largest: number;
}

export class Batcher {
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  readonly stats: BatchStats = { calls: 0, sequences: 0, largest: 0 };
  private readonly windowMs: number;
  private readonly maxBatch: number;

  constructor(private readonly policy: Policy, private readonly tok: Tokenizer, private readonly rng: Rng, o: BatcherOptions = {}) {
    this.windowMs = o.windowMs ?? 5;
    this.maxBatch = o.maxBatch ?? 64;
  }

  generate(r: BatchRequest): Promise<readonly number[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ...r, resolve, reject });
      if (this.waiting.length >= this.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.windowMs);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting.splice(0, this.maxBatch);
    if (this.waiting.length > 0) this.timer = setTimeout(() => this.flush(), 0);
    const groups = new Map<string, Waiting[]>();
    for (const w of batch) {
      const key = `${w.request.mode}|${w.request.stopAt.join(',')}|${w.temperature}`;
      groups.set(key, [...(groups.get(key) ?? []), w]);
    }
    const side = this.policy.config.imageSide;
    const S = this.tok.ids;
    for (const group of groups.values()) {
      try {
        const prompts = group.map((w) => ({ tokens: w.request.prefix, visible: visibleCounts(this.tok, w.request.prefix), images: w.images.map((img) => toModelInput(img, side)) }));
        const gen = this.policy.generate(prompts, {
          maxTokens: Math.min(ROUND_TOKENS, Math.max(...group.map((w) => w.request.maxNewTokens))),
          temperature: group[0]!.temperature, codeTemperature: 0, codeOpen: S.code, codeClose: S.codeEnd,
          stopTokens: group[0]!.request.stopAt,
        }, this.rng);
        this.stats.calls++;
        this.stats.sequences += group.length;
        this.stats.largest = Math.max(this.stats.largest, group.length);
        group.forEach((w, i) => w.resolve(gen.tokens[i]!));
      } catch (error) {
        group.forEach((w) => w.reject(error));
      }
    }
  }
}
