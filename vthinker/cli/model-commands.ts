// `vthinker infer` and `vthinker eval`: a trained model at work. A model is named by its stage (read through the
// lock file of the profile, so it is exactly the model the pipeline recorded) or by a model directory.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { path as artifactPath } from 'vthinker/engine/notebook.ts';
import { evaluateModelDir, loadModelDir } from '../bench/evaluate-model.ts';
import { withBenchErrors } from '../bench/judge-setup.ts';
import { initCompute } from '../compute/setup.ts';
import { runRollouts } from '../curriculum/rollouts.ts';
import { decodePng, encodePng } from '../scene/raster.ts';
import { rng } from '../util/random.ts';

export const INFER_USAGE = 'vthinker infer --stage STAGE|--model DIR --image FILE.png --question "..." [--rounds 5] [--out DIR] [--profile NAME]';
export const EVAL_USAGE = 'vthinker eval --model STAGE|DIR --bench FILE(.json|.parquet) [--out DIR] [--rounds 5] [--json] [--profile NAME]\n'
  + '       vthinker eval --endpoint URL --model NAME --bench FILE [--api-key-env VAR] [--concurrency 4] [--system-prompt FILE] [--temperature 0] [--out DIR] [--cache DIR] [--rounds 5] [--json]';

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

export async function evalCommand(args: string[], env: { root: string; profile: string }): Promise<number> {
  return withBenchErrors(() => evalModel(args, env));
}

async function evalModel(args: string[], env: { root: string; profile: string }): Promise<number> {
  const { values } = parseArgs({ args, options: {
    model: { type: 'string' }, bench: { type: 'string' }, out: { type: 'string', default: 'eval-out' },
    rounds: { type: 'string', default: '5' }, json: { type: 'boolean' }, profile: { type: 'string' },
    endpoint: { type: 'string' }, 'api-key-env': { type: 'string' }, concurrency: { type: 'string', default: '4' },
    'system-prompt': { type: 'string' }, temperature: { type: 'string', default: '0' }, cache: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  } });
  if (values.help) {
    console.log(`usage: ${EVAL_USAGE}\n\n--model STAGE|DIR alone: our trained policy in process. With --endpoint URL, --model names the model an\nOpenAI-compatible server serves (vLLM, SGLang, a hosted API, vthinker serve), scored with the paper's protocol and\nthe Python sandbox; see vthinker/bench/README.md.`);
    return 0;
  }
  if (!values.model || !values.bench) {
    console.error(`usage: ${EVAL_USAGE}`);
    return 2;
  }
  if (values.endpoint) return (await import('../bench/endpoint/cli.ts')).evalEndpoint({ ...values, endpoint: values.endpoint, model: values.model, bench: values.bench });
  await initCompute();
  const scores = await evaluateModelDir(modelDir(values.model, env), values.bench, values.out!, {
    irRounds: Number(values.rounds),
    onProgress: (done, total, note) => process.stderr.write(`\r${note} ${done}/${total}   `),
  });
  process.stderr.write('\n');
  if (values.json) {
    const { verdicts: _v, ...rest } = scores;
    console.log(JSON.stringify(rest, null, 2));
    return 0;
  }
  for (const [task, s] of Object.entries(scores.tasks)) {
    const t = scores.tools[task as keyof typeof scores.tools];
    console.log(`${task.padEnd(11)} ${s.score.toFixed(1).padStart(5)}%  [${s.lo.toFixed(1)}, ${s.hi.toFixed(1)}]  n=${s.n}  calls/item ${t.callsPerItem.toFixed(2)}  ran ${(100 * t.callSuccess).toFixed(0)}%`);
  }
  console.log(`outputs in ${values.out} (judge them again with: vthinker judge --bench ${values.bench} --outputs ${values.out})`);
  return 0;
}
