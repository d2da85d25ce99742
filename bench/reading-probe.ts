// Gold-view reading of a trained model (vthinker/curriculum/reading.ts) on the held-aside split and on training
// samples, beside the per-family majority answer: is the model's interactive reasoning limited by what it draws or
// by what it reads off the drawing? Usage: node --import tsx bench/reading-probe.ts MODEL_DIR TRAIN_JSONL [STAGE]
// [SEED] [N]. The held-aside split is the stage's own (200 samples: `eval_samples` of rl1 and base in params.yaml).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initCompute } from '../vthinker/compute/setup.ts';
import { splitSamples, episodesOf } from '../vthinker/curriculum/data.ts';
import { familyMajority, goldViewReading } from '../vthinker/curriculum/reading.ts';
import { loadWeights } from '../vthinker/model/weights.ts';
import { Tokenizer } from '../vthinker/policy/tokenizer.ts';
import type { Sample } from '../vthinker/synth/types.ts';
import { rng } from '../vthinker/util/random.ts';

const [modelDir, trainFile, stage = 'rl1', seedArg = '20251106', nArg = '300'] = process.argv.slice(2);
if (!modelDir || !trainFile) throw new Error('usage: bench/reading-probe.ts MODEL_DIR TRAIN_JSONL [STAGE] [SEED] [N]');
await initCompute();
const tok = Tokenizer.fromJSON(JSON.parse(readFileSync(join(modelDir, 'tokenizer.json'), 'utf8')));
const policy = loadWeights(modelDir);
const samples = readFileSync(trainFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Sample);
const { train, val } = splitSamples(samples, 200, Number(seedArg), stage);
const n = Number(nArg);
const direct = stage === 'base';
const pick = (s: readonly Sample[]) => rng(1).fork('probe').shuffle(episodesOf(s, ['reasoning'], { direct, multiStep: false })).slice(0, n);
const trainEps = episodesOf(train, ['reasoning'], { direct, multiStep: false });
for (const [name, eps] of [['held-aside', pick(val)], ['train', pick(train)]] as const) {
  const r = goldViewReading(policy, tok, eps);
  console.log(`${stage} ${name}: gold-view reading ${(100 * r.accuracy).toFixed(1)}% of ${r.count}; per-family majority ${(100 * familyMajority(trainEps, eps)).toFixed(1)}%`);
  console.log('  ' + Object.entries(r.families).sort().map(([f, [c, k]]) => `${f} ${c}/${k}`).join(', '));
}
