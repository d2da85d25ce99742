// Episodes as policy inputs. Images go through the sandbox exactly as at inference: the original is the rendered
// scene, and the view after call k is what the sandbox returns for that call's code, so the pictures a model is
// trained on are pixel for pixel the pictures it gets back when it writes the same code.
import type { PolicyExample } from '../model/batch.ts';
import { buildTrajectory, type MaskOptions } from '../policy/trajectory.ts';
import type { Tokenizer } from '../policy/tokenizer.ts';
import { createSandbox } from '../sandbox/index.ts';
import { formatProgram } from '../scene/drawlang.ts';
import { renderScene, toModelInput, type RasterImage } from '../scene/render.ts';
import type { Scene } from '../scene/types.ts';
import type { Episode } from './episode.ts';

/** The original figure at one pixel per scene unit (what the sandbox and the judges see). */
export function originalImage(scene: Scene): RasterImage {
  return renderScene(scene, [], { size: scene.width });
}

/** The episode's views: the original, then the sandbox's view after each call of its spec. */
export function episodeViews(episode: Episode): RasterImage[] {
  const original = originalImage(episode.scene);
  const sandbox = createSandbox({ id: episode.id, image: original, sceneSize: episode.scene });
  const views = [original];
  for (const call of episode.spec.calls) {
    const result = sandbox.execute(formatProgram(call.ops));
    if (!result.ok) throw new Error(`episode ${episode.id}: its own construction fails in the sandbox: ${result.message}`);
    views.push(result.image);
  }
  return views;
}

/** Per token: how many images are visible there (image k becomes visible at its own <image> token). */
export function visibleCounts(tok: Tokenizer, ids: ArrayLike<number>): number[] {
  const out: number[] = [];
  let seen = 0;
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] === tok.ids.image) seen++;
    out.push(seen);
  }
  return out;
}

export interface TrainingExample extends PolicyExample {
  /** Words that became <unk>. */
  unknown: string[];
}

/** The SFT example of an episode: the rl1 loss mask (sandbox outputs masked; final rounds only by default). */
export function trainingExample(tok: Tokenizer, episode: Episode, side: number, mask: MaskOptions = {}): TrainingExample {
  const t = buildTrajectory(tok, episode.spec, mask);
  return {
    tokens: t.ids,
    lossMask: t.mask,
    visible: visibleCounts(tok, t.ids),
    images: episodeViews(episode).map((v) => toModelInput(v, side)),
    unknown: t.unknown,
  };
}

/** The prompt ids of an episode: <bos> <image> question. */
export function promptIds(tok: Tokenizer, episode: { spec: { question: string } }): number[] {
  const t = buildTrajectory(tok, { question: episode.spec.question, calls: [], conclusion: '', answer: '' });
  return t.ids.slice(0, t.promptLength);
}
