// Companion of bench/reader-ceiling.ts: trains, outside the pipeline, the two models that isolate the reader. With the
// base block of params.yaml (budget, lr, seed, from scratch, reasoning questions only), either interactive gold
// trajectories (the default: a reader taught nothing but to draw and read, no perception alignment, no other task)
// or direct answers (`--direct`: the base itself, e.g. at another model size). MODEL_JSON overrides the `model`
// block, e.g. '{"dim":128,"layers":4,"conv_channels":[32,64,128]}'; `--init MODEL_DIR` starts from a trained model
// instead (e.g. the perception stage's: is it the alignment that costs rl1's reader?). Resumes from OUT_DIR/ckpt.
//   node --import tsx bench/reasoning-only-reader.ts TRAIN_JSONL OUT_DIR [--direct] [--init MODEL_DIR] [MODEL_JSON]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { curriculumTokenizer, policyConfigOf } from '../stages/training.ts';
import { initCompute } from '../vthinker/compute/setup.ts';
import type { Sample } from '../vthinker/synth/types.ts';
import { trainColdStart, type ColdStartParams } from '../vthinker/train/cold-start.ts';
import { readJsonl } from '../vthinker/util/jsonl.ts';

const USAGE = 'usage: bench/reasoning-only-reader.ts TRAIN_JSONL OUT_DIR [--direct] [--init MODEL_DIR] [MODEL_JSON]';
const args = process.argv.slice(2);
const direct = args.includes('--direct');
const initAt = args.indexOf('--init');
const init = initAt >= 0 ? args[initAt + 1] : undefined;
if (initAt >= 0 && !init) throw new Error(`--init needs a model directory\n${USAGE}`);
const flags = new Set(initAt >= 0 ? [initAt, initAt + 1] : []);
const [trainFile, outDir, modelJson = '{}'] = args.filter((a, i) => a !== '--direct' && !flags.has(i));
if (!trainFile || !outDir) throw new Error(USAGE);

await initCompute();
const params = YAML.parse(readFileSync('params.yaml', 'utf8')).params;
const tokenizer = curriculumTokenizer();
const block = params.base as ColdStartParams;
const report = await trainColdStart({
  samples: readJsonl<Sample>(trainFile), tokenizer, seed: params.seed, workers: 2,
  params: { ...block, mix: { reasoning: 1 } },
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
