// Companion of bench/reader-ceiling.ts: trains, outside the pipeline, the control readers. With the base block of
// params.yaml (budget, lr, seed, from scratch, reasoning questions only), either interactive gold
// trajectories (the default: a reader taught nothing but to draw and read, no perception alignment, no other task)
// or direct answers (`--direct`: the base itself, e.g. at another model size). MODEL_JSON overrides the `model`
// block, e.g. '{"dim":128,"layers":4,"conv_channels":[32,64,128]}'; `--init MODEL_DIR` starts from a trained model
// instead (e.g. the perception stage's: is it the alignment that costs rl1's reader?); `--steps N` trains longer or
// shorter than the base; `--zoom` ends the chart families' constructions with their zoom (`rl1.zoom`). Resumes from
// OUT_DIR/ckpt.
//   node --import tsx bench/reasoning-only-reader.ts TRAIN_JSONL OUT_DIR [--direct] [--zoom] [--init MODEL_DIR]
//     [--steps N] [MODEL_JSON]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { curriculumTokenizer, policyConfigOf } from '../stages/training.ts';
import { initCompute } from '../vthinker/compute/setup.ts';
import type { Sample } from '../vthinker/synth/types.ts';
import { trainColdStart, type ColdStartParams } from '../vthinker/train/cold-start.ts';
import { readJsonl } from '../vthinker/util/jsonl.ts';

const USAGE = 'usage: bench/reasoning-only-reader.ts TRAIN_JSONL OUT_DIR [--direct] [--zoom] [--init MODEL_DIR] [--steps N] [MODEL_JSON]';
const args = process.argv.slice(2);
const direct = args.includes('--direct');
const zoom = args.includes('--zoom');
const taken = new Set<number>();
/** The value after `--name`, if the flag is given. */
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  if (at + 1 >= args.length) throw new Error(`${name} needs a value\n${USAGE}`);
  taken.add(at).add(at + 1);
  return args[at + 1];
};
const init = option('--init');
const steps = option('--steps');
if (steps !== undefined && !(Number.isInteger(Number(steps)) && Number(steps) > 0)) throw new Error(`--steps must be a positive integer, got ${steps}`);
const [trainFile, outDir, modelJson = '{}'] = args.filter((a, i) => a !== '--direct' && a !== '--zoom' && !taken.has(i));
if (!trainFile || !outDir) throw new Error(USAGE);

await initCompute();
const params = YAML.parse(readFileSync('params.yaml', 'utf8')).params;
const tokenizer = curriculumTokenizer();
const block = params.base as ColdStartParams;
const report = await trainColdStart({
  samples: readJsonl<Sample>(trainFile), tokenizer, seed: params.seed, workers: 2,
  params: { ...block, mix: { reasoning: 1 }, zoom, ...(steps ? { steps: Number(steps) } : {}) },
  model: policyConfigOf(tokenizer, { ...params.model, ...JSON.parse(modelJson) }),
  ...(init ? { init } : {}), direct, stageName: 'base',
  out: {
    model: join(outDir, 'model'), curve: join(outDir, 'curve.jsonl'), eval: join(outDir, 'eval.json'),
    rollouts: join(outDir, 'rollouts.jsonl'), sheets: join(outDir, 'sheets'),
  },
  checkpointDir: join(outDir, 'ckpt'),
  onProgress: (done, total, note) => { if (note || done % 100 === 0) console.log(`${done}/${total} ${note}`); },
});
console.log(`${report.parameters} parameters, ${report.steps} steps, ${report.trainSeconds.toFixed(0)} s; gold-view reading of the held-aside questions ${(100 * report.reading.accuracy).toFixed(1)}%; model in ${join(outDir, 'model')}`);
