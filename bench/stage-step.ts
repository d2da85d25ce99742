// rl1's own train steps on the profile's real data (the flywheel's verified samples, as `vthinker run` left them in
// artifacts/<profile>/verify/train.jsonl): the step the stage runs, batch building and rendering included, before
// (native stack, batches padded to their longest example) and now (fused stack, length buckets). Prints figures.
//   node --import tsx bench/stage-step.ts [profile=wide] [steps=30]
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { curriculumTokenizer } from '../stages/training.ts';
import type { ComputeOptions } from '../vthinker/compute/options.ts';
import { checkMix, sftDataset, splitSamples } from '../vthinker/curriculum/data.ts';
import type { Sample } from '../vthinker/synth/types.ts';
import type { ColdStartParams } from '../vthinker/train/cold-start.ts';
import { bucketSampler, runSft } from '../vthinker/train/sft.ts';
import { readJsonl } from '../vthinker/util/jsonl.ts';
import { profileParams, profilePolicy } from './train-step.ts';

export interface StageStepRow {
  config: string;
  stepsPerSec: number;
  /** Mean tokens per example after padding to the batch's longest. */
  paddedLength: number;
  meanLength: number;
}

/** The profile's rl1 training set, or null when the flywheel has not run for it here. */
export function rl1Dataset(profile: string) {
  const path = fileURLToPath(new URL(`../artifacts/${profile}/verify/train.jsonl`, import.meta.url));
  if (!existsSync(path)) return null;
  const params = profileParams(profile);
  const p = params.rl1 as unknown as ColdStartParams;
  const policy = profilePolicy(profile, params);
  const { train } = splitSamples(readJsonl<Sample>(path), p.eval_samples, params.seed as number, 'rl1');
  const options = { multiStep: p.multi_step, finalRoundsOnly: p.final_rounds_only, zoom: p.zoom ?? false, maxLength: policy.maxSeq };
  return { data: sftDataset(curriculumTokenizer(), train, checkMix(p.mix, 'rl1'), policy.imageSide, options), p, policy, seed: params.seed as number };
}

export async function stageStepRows(profile: string, steps: number): Promise<StageStepRow[] | null> {
  const set = rl1Dataset(profile);
  if (!set) return null;
  const { data, p, policy, seed } = set;
  const configs: Array<[string, ComputeOptions, number]> = [
    ['native, padded (before)', { backend: 'wasm', fused: false }, 0],
    ['fused, length buckets', { backend: 'wasm', fused: true }, p.bucket_window ?? 16],
  ];
  const rows: StageStepRow[] = [];
  for (const [config, compute, window] of configs) {
    let padded = 0, tokens = 0;
    const batchAt = bucketSampler(data.length, p.batch_size, seed, window, (i) => data.lengthOf(i));
    for (let s = 0; s < steps; s++) {
      const lengths = batchAt(s).map((i) => data.lengthOf(i));
      padded += Math.max(...lengths) * lengths.length;
      tokens += lengths.reduce((a, b) => a + b, 0);
    }
    // Two warm-up steps are not timed: the first steps of a run pay for compiling and growing the wasm heap.
    let timedFrom = 0;
    await runSft(data, {
      policy, seed, steps: steps + 2, batchSize: p.batch_size, lr: p.lr, warmup: p.warmup, workers: 2, compute, bucketWindow: window,
      onProgress: (m) => { if (m.step === 1) timedFrom = performance.now(); },
    });
    const seconds = (performance.now() - timedFrom) / 1000;
    rows.push({ config, stepsPerSec: steps / seconds, paddedLength: padded / (steps * p.batch_size), meanLength: tokens / (steps * p.batch_size) });
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const profile = process.argv[2] ?? 'wide';
  const rows = await stageStepRows(profile, Number(process.argv[3] ?? 30));
  if (!rows) console.log(`no artifacts/${profile}/verify/train.jsonl: run \`vthinker run --profile ${profile} --until verify\` first`);
  for (const r of rows ?? []) console.log(`${r.config.padEnd(26)} ${r.stepsPerSec.toFixed(2)} steps/s; tokens per example ${r.meanLength.toFixed(1)}, padded ${r.paddedLength.toFixed(1)}`);
}
