// Many multi-turn rollouts at once. Each episode runs the ordinary sequential driver (policy/rollout.ts); their
// `generate` calls are collected and answered together, one batched forward per new token for every episode that
// is waiting, so the sandbox logic exists once and batching is only about speed. Requests are grouped by mode and
// stop set (text is sampled at the temperature, code at its own, by default greedily as the paper).
import type { Policy } from '../model/policy.ts';
import type { PolicyExample } from '../model/batch.ts';
import { rollout, type GenerateRequest, type Rollout } from '../policy/rollout.ts';
import type { Tokenizer } from '../policy/tokenizer.ts';
import { createSandbox, type SandboxLimits } from '../sandbox/index.ts';
import { toModelInput, type RasterImage } from '../scene/render.ts';
import type { Rng } from '../util/random.ts';
import type { Episode } from './episode.ts';
import { originalImage, promptIds, visibleCounts } from './examples.ts';

/** What a rollout starts from: a question about an image whose code coordinates span `sceneSize`. */
export interface RolloutTask {
  id: string;
  question: string;
  image: RasterImage;
  sceneSize: { width: number; height: number };
}

export const taskOfEpisode = (e: Episode): RolloutTask => ({ id: e.id, question: e.spec.question, image: originalImage(e.scene), sceneSize: e.scene });

export interface RolloutSettings {
  /** Generation rounds per episode (paper: 4 in RL, 5 for VTBench IR, 1 code round for Perception / IGI). */
  maxRounds: number;
  /** Temperature of prose tokens; 0 = greedy. */
  temperature: number;
  /** Temperature of code tokens; default 0: greedy, as the paper (rl2 may sample code to explore drawings). */
  codeTemperature?: number;
  /** Nucleus sampling of prose (GenerateOptions.topK / topP; the paper's RL: 50 and 0.9). */
  topK?: number;
  topP?: number;
  /**
   * Tokens one generation call may write (default 48; our longest round, three perpendiculars' code, is ~32): a
   * policy that never closes its block stops there (the rollout ends as max-length) instead of filling the window.
   */
  maxRoundTokens?: number;
  /** Sandbox limits (e.g. maxCalls). */
  limits?: Partial<SandboxLimits>;
}

interface Waiting {
  request: GenerateRequest;
  resolve: (ids: readonly number[]) => void;
  reject: (error: unknown) => void;
  inputs: Float32Array[];
}

/**
 * Runs every task (or episode) to its end; results in input order. Deterministic for a seed and input list.
 * The sandbox allows at most maxImages - 1 successful calls' worth of calls, so an episode never has more views
 * than the policy takes.
 */
export async function runRollouts(policy: Policy, tok: Tokenizer, inputs: readonly (Episode | RolloutTask)[], settings: RolloutSettings, r: Rng): Promise<Rollout[]> {
  const side = policy.config.imageSide;
  const episodes = inputs.map((x) => ('spec' in x ? taskOfEpisode(x) : x));
  const maxCalls = Math.min(settings.limits?.maxCalls ?? Infinity, policy.config.maxImages - 1);
  let active = episodes.length;
  let waiting: Waiting[] = [];
  // Model inputs of each episode's images, converted once per image (views only ever get appended).
  const inputCache = episodes.map(() => new Map<RasterImage, Float32Array>());

  const dispatch = () => {
    const batch = waiting;
    waiting = [];
    const groups = new Map<string, Waiting[]>();
    for (const w of batch) {
      const key = `${w.request.mode}|${w.request.stopAt.join(',')}`;
      groups.set(key, [...(groups.get(key) ?? []), w]);
    }
    for (const group of [...groups.keys()].sort().map((k) => groups.get(k)!)) {
      try {
        const prompts: PolicyExample[] = group.map((w) => ({ tokens: w.request.prefix, visible: visibleCounts(tok, w.request.prefix), images: w.inputs }));
        const { mode, stopAt } = group[0]!.request;
        // A code step's prefix ends with the open code span, so policy.generate samples it at codeTemperature.
        const gen = policy.generate(prompts, {
          maxTokens: Math.min(settings.maxRoundTokens ?? 48, Math.max(...group.map((w) => w.request.maxNewTokens))),
          temperature: settings.temperature, codeTemperature: settings.codeTemperature ?? 0,
          ...(settings.topK !== undefined ? { topK: settings.topK } : {}), ...(settings.topP !== undefined ? { topP: settings.topP } : {}),
          codeOpen: tok.ids.code, codeClose: tok.ids.codeEnd,
          stopTokens: stopAt,
        }, r);
        group.forEach((w, i) => w.resolve(gen.tokens[i]!));
      } catch (error) {
        group.forEach((w) => w.reject(error));
      }
    }
  };
  const settle = () => {
    if (active > 0 && waiting.length === active) dispatch();
  };

  const runs = episodes.map(async (task, e) => {
    try {
      return await rollout({
        tokenizer: tok,
        sandbox: createSandbox({ id: task.id, image: task.image, sceneSize: task.sceneSize, limits: { ...settings.limits, maxCalls } }),
        prompt: promptIds(tok, { spec: { question: task.question } }),
        image: task.image,
        maxRounds: settings.maxRounds,
        maxLength: policy.config.maxSeq,
        generate: (request) => new Promise<readonly number[]>((resolve, reject) => {
          const cache = inputCache[e]!;
          const inputs = request.images.map((img) => cache.get(img) ?? cache.set(img, toModelInput(img, side)).get(img)!);
          waiting.push({ request, resolve, reject, inputs });
          settle();
        }),
      });
    } finally {
      active--;
      settle();
    }
  });
  return Promise.all(runs);
}
