// `vthinker infer`: a trained model at work on one image (`vthinker eval` is bench/eval-cli.ts). A model is named by
// its stage (read through the lock file of the profile, so it is exactly the model the pipeline recorded) or by a
// model directory.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { path as artifactPath } from '@vthinker/engine/notebook';
import { loadModelDir } from '../bench/evaluate-model.ts';
import { initCompute } from '../compute/setup.ts';
import { runRollouts } from '../curriculum/rollouts.ts';
import { decodePng, encodePng } from '../scene/raster.ts';
import { rng } from '../util/random.ts';

export const INFER_USAGE = 'vthinker infer --stage STAGE|--model DIR --image FILE.png --question "..." [--rounds 5] [--out DIR] [--profile NAME]';

/** A model directory from a stage name (its `model` output in the profile's lock) or a path. */
export function modelDir(name: string, env: { root: string; profile: string }): string {
  const asPath = resolve(name);
  if (existsSync(join(asPath, 'weights.json'))) return asPath;
  try {
    return artifactPath(name, 'model', { root: env.root, profile: env.profile });
  } catch (error) {
    throw new Error(`${name} is neither a model directory (with weights.json) nor a stage with a model in profile ${env.profile}: ${(error as Error).message}`);
  }
}

export async function inferCommand(args: string[], env: { root: string; profile: string }): Promise<number> {
  const { values } = parseArgs({ args, options: {
    stage: { type: 'string' }, model: { type: 'string' }, image: { type: 'string' }, question: { type: 'string' },
    rounds: { type: 'string', default: '5' }, out: { type: 'string', default: 'infer-out' }, profile: { type: 'string' },
  } });
  const name = values.model ?? values.stage;
  if (!name || !values.image || !values.question) {
    console.error(`usage: ${INFER_USAGE}`);
    return 2;
  }
  await initCompute();
  const { policy, tok } = loadModelDir(modelDir(name, env));
  const image = decodePng(new Uint8Array(await import('node:fs').then((fs) => fs.readFileSync(values.image!))));
  const [r] = await runRollouts(policy, tok, [{ id: 'infer', question: values.question, image, sceneSize: tok.canvas }], { maxRounds: Number(values.rounds), temperature: 0 }, rng(0));
  policy.dispose();
  mkdirSync(values.out!, { recursive: true });
  r!.images.forEach((img, k) => writeFileSync(join(values.out!, `view-${k}.png`), encodePng(img)));
  console.log(r!.text);
  console.log(`\n${r!.calls.length} sandbox call(s), ${r!.calls.filter((c) => c.ok).length} ran; stopped on ${r!.stop} after ${r!.rounds} round(s); views in ${values.out}/view-*.png`);
  for (const c of r!.calls.filter((x) => !x.ok)) console.log(`  failed: ${c.message}`);
  return 0;
}
