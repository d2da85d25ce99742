// Synthetic toy tasks that prove the policy learns what the pipeline needs: read a precise point position off an
// image (answer = x and y coordinate bins, 2 scene units each), and pick the right image out of several (the answer
// depends on the second image only, so it needs the image-indexed cross-attention mask to be used correctly).
// Own tiny vocabulary; independent of the project's tokenizer.
import { renderScene, toModelInput } from '../scene/render.ts';
import type { ColorName, Scene, SceneElement } from '../scene/types.ts';
import { rng, type Rng } from '../util/random.ts';
import type { PolicyExample } from '../model/batch.ts';
import type { Policy } from '../model/policy.ts';

export const TOY = { PAD: 0, BOS: 1, EOS: 2, IMAGE: 3, WHERE: 4, ANSWER: 5, COLOR0: 6, LABEL0: 16, X0: 26, Y0: 90, VOCAB: 154 } as const;
const COLORS: readonly ColorName[] = ['red', 'blue', 'green', 'orange', 'purple', 'teal', 'brown', 'ink'];
const LABELS = 'ABCDEFGHIJ';
const SCENE = 128, BINS = 64, BIN = SCENE / BINS;

export interface ToyItem {
  example: PolicyExample;
  /** Tokens up to and including ANSWER: the generation prompt. */
  promptLength: number;
  /** The true bins. */
  x: number;
  y: number;
}

export const bin = (v: number) => Math.max(0, Math.min(BINS - 1, Math.floor(v / BIN)));

function randomPoints(r: Rng, n: number, colors: readonly ColorName[]): Array<{ at: [number, number]; color: ColorName; label: string }> {
  const pts: Array<{ at: [number, number]; color: ColorName; label: string }> = [];
  const palette = r.shuffle(colors);
  while (pts.length < n) {
    const at: [number, number] = [r.uniform(10, SCENE - 10), r.uniform(10, SCENE - 10)];
    // Keep points apart so each is a separate blob at 64 px.
    if (pts.some((p) => Math.hypot(p.at[0] - at[0], p.at[1] - at[1]) < 16)) continue;
    pts.push({ at, color: palette[pts.length % palette.length]!, label: LABELS[pts.length]! });
  }
  return pts;
}

function image(elements: SceneElement[], side: number): Float32Array {
  const scene: Scene = { width: SCENE, height: SCENE, elements };
  return toModelInput(renderScene(scene, [], { size: SCENE }), side);
}

function pointElements(pts: ReturnType<typeof randomPoints>, labelled: boolean): SceneElement[] {
  return pts.map((p, i) => ({ kind: 'point', id: `p${i}`, at: p.at, color: p.color, ...(labelled ? { label: p.label } : {}) }));
}

/**
 * "Where is the <colour> point?" (key 'color') or "Where is point <label>?" (key 'label') on an image of 2-4
 * coloured points. Tokens: BOS IMAGE WHERE key ANSWER x y EOS; loss on x, y, EOS.
 */
export function locateItem(seed: number, key: 'color' | 'label' = 'color', side = 64, points: readonly [number, number] = [2, 4]): ToyItem {
  const r = rng(seed).fork('toy-locate');
  const pts = randomPoints(r, r.int(points[0], points[1]), COLORS);
  const target = r.int(0, pts.length - 1);
  const t = pts[target]!;
  const img = image(pointElements(pts, key === 'label'), side);
  const keyToken = key === 'color' ? TOY.COLOR0 + COLORS.indexOf(t.color) : TOY.LABEL0 + target;
  const x = bin(t.at[0]), y = bin(t.at[1]);
  const tokens = [TOY.BOS, TOY.IMAGE, TOY.WHERE, keyToken, TOY.ANSWER, TOY.X0 + x, TOY.Y0 + y, TOY.EOS];
  return {
    example: { tokens, visible: [0, 1, 1, 1, 1, 1, 1, 1], lossMask: [0, 0, 0, 0, 0, 1, 1, 1], images: [img] },
    promptLength: 5, x, y,
  };
}

/**
 * Two images, both with a red point (plus distractors) at different places: "where is the red point" asked after
 * the second <image> token; the answer is the red point of the SECOND image. Tokens:
 * BOS IMAGE WHERE red IMAGE ANSWER x y EOS; the first IMAGE makes image 0 visible, the second image 1.
 */
export function twoImageItem(seed: number, side = 64): ToyItem {
  const r = rng(seed).fork('toy-two');
  const others = COLORS.filter((c) => c !== 'red');
  const make = () => {
    const pts = randomPoints(r, r.int(2, 3), others);
    const red = randomPoints(r, 1, ['red'])[0]!;
    while (pts.some((p) => Math.hypot(p.at[0] - red.at[0], p.at[1] - red.at[1]) < 16)) red.at = [r.uniform(10, SCENE - 10), r.uniform(10, SCENE - 10)];
    return { pts: [...pts, red], red };
  };
  const first = make(), second = make();
  const images = [image(pointElements(first.pts, false), side), image(pointElements(second.pts, false), side)];
  const x = bin(second.red.at[0]), y = bin(second.red.at[1]);
  const tokens = [TOY.BOS, TOY.IMAGE, TOY.WHERE, TOY.COLOR0 + COLORS.indexOf('red'), TOY.IMAGE, TOY.ANSWER, TOY.X0 + x, TOY.Y0 + y, TOY.EOS];
  return {
    example: { tokens, visible: [0, 1, 1, 1, 2, 2, 2, 2, 2], lossMask: [0, 0, 0, 0, 0, 0, 1, 1, 1], images },
    promptLength: 6, x, y,
  };
}

export interface ToyScore {
  /** Both x and y within 1 bin (2 scene units per bin). */
  within1: number;
  exact: number;
  /** Mean |error| in bins over x and y (a malformed answer counts as 32). */
  meanAbsBins: number;
}

/** Greedy answers for the items' prompts, scored against the true bins. */
export function scoreToy(policy: Policy, items: readonly ToyItem[], batchSize = 64): ToyScore {
  let within = 0, exact = 0, err = 0;
  for (let i = 0; i < items.length; i += batchSize) {
    const chunk = items.slice(i, i + batchSize);
    const prompts = chunk.map((it) => ({
      tokens: Array.from(it.example.tokens).slice(0, it.promptLength),
      visible: Array.from(it.example.visible).slice(0, it.promptLength),
      images: it.example.images,
    }));
    const gen = policy.generate(prompts, { maxTokens: 2, temperature: 0 }, rng(0));
    chunk.forEach((it, j) => {
      const [xt, yt] = gen.tokens[j]!;
      const px = xt! - TOY.X0, py = yt! - TOY.Y0;
      const ok = px >= 0 && px < BINS && py >= 0 && py < BINS;
      const dx = ok ? Math.abs(px - it.x) : 32, dy = ok ? Math.abs(py - it.y) : 32;
      err += (dx + dy) / 2;
      if (dx <= 1 && dy <= 1) within++;
      if (dx === 0 && dy === 0) exact++;
    });
  }
  const n = Math.max(1, items.length);
  return { within1: within / n, exact: exact / n, meanAbsBins: err / n };
}
