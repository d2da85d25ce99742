// `vthinker eval`: a model on a benchmark, scored as `vthinker judge` scores outputs. Two ways to get the outputs:
// our trained policy in process (`--model STAGE|DIR`, run-policy.ts) or any OpenAI-compatible VLM with the paper's
// protocol (`--endpoint URL --model NAME`, endpoint/). Both write `<stem>.<task>.png/.txt` into --out, then scoreRun
// judges them with the judge options (rules, a model judge, or both) and writes results.jsonl, summary.json and
// table.md. Progress on stderr; on stdout the judge's report and how the model used its sandbox, or --json.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { numberOption, withUsageErrors } from '../cli/usage.ts';
import { modelDir } from '../cli/model-commands.ts';
import { initCompute } from '../compute/setup.ts';
import { apiKeyFromEnv, createChatClient } from './chat-client.ts';
import { SYSTEM_PROMPT } from './endpoint/protocol.ts';
import { type EndpointRun, runEndpointOnBench } from './endpoint/run-endpoint.ts';
import { loadModelDir } from './evaluate-model.ts';
import { JUDGE_ARG_HELP, JUDGE_ARG_OPTIONS, judgeSetupFrom, loadOptionsFrom, scoreRun } from './judge-setup.ts';
import { type LoadedBench, readBench } from './layout.ts';
import { BenchUsageError } from './records.ts';
import { runPolicyOnBench } from './run-policy.ts';
import { COLUMN, progressLine, resultLines, summaryText } from './run-report.ts';
import { toolUseText } from './tool-use.ts';
import { TASKS } from './types.ts';

export const EVAL_USAGE = 'vthinker eval --model STAGE|DIR --bench FILE [--out DIR] [--results DIR] [--rounds 5] [--judge rules|model|both ...] [--json] [--profile NAME]\n'
  + '       vthinker eval --endpoint URL --model NAME --bench FILE [--api-key-env VAR] [--concurrency 4] [--system-prompt FILE] [--temperature 0] [--cache DIR] [...the options above]';

export const EVAL_HELP = `usage: ${EVAL_USAGE}

Runs a model on a VTBench file (the official JSON or JSON lines, the Hugging Face parquet, or ours), writes its
outputs into --out and scores them as vthinker judge does: per task, domain and dataset-entity with 95% intervals,
results.jsonl (per-item verdicts), summary.json and table.md in --results.

--model STAGE|DIR alone: our trained policy in process (a stage's model in the profile's lock, or a model directory).
With --endpoint URL, --model names the model an OpenAI-compatible server serves (vLLM, SGLang, a hosted API,
vthinker serve), run with the paper's protocol and the Python sandbox (see vthinker/bench/README.md).

  --bench FILE               the benchmark
  --out DIR                  where the model's outputs go (default eval-out)
  --results DIR              where results.jsonl, summary.json, table.md go (default: --out)
  --name NAME                the run's name in the table (default: the model's)
  --rounds N                 generation rounds of Interactive Reasoning (default 5; Perception and IGI get 2)
  --json                     print the summary, the per-item verdicts, the table and the sandbox use as one JSON object
With --endpoint:
  --api-key-env VAR          the environment variable holding the endpoint's API key
  --concurrency N            requests in flight (default 4)
  --system-prompt FILE       the system prompt sent verbatim (default: ours, in our words of the paper's)
  --temperature T            default 0 (greedy)
  --cache DIR                finished (item, task) results, so a rerun asks only for what is missing
                             (default <out>/.endpoint-cache)
Judging and loading, as vthinker judge:
${JUDGE_ARG_HELP}

Exit codes: 0 scored; 1 the endpoint failed (stopped after failures in a row, or nothing answered); 2 a usage or
benchmark file error (one line).`;

const ENDPOINT_ONLY = ['api-key-env', 'concurrency', 'system-prompt', 'temperature', 'cache'] as const;

type Values = { [k: string]: string | boolean | undefined };
const str = (v: Values, k: string) => v[k] as string | undefined;

/** The model directory --model names (a stage's model in the profile's lock, or a path). */
function policyDir(name: string, env: { root: string; profile: string }): string {
  try {
    return modelDir(name, env);
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
}

/** Our policy in process. */
async function policyOutputs(dir: string, bench: LoadedBench, out: string, irRounds: number) {
  await initCompute();
  const { policy, tok } = loadModelDir(dir);
  const started = performance.now();
  try {
    return await runPolicyOnBench(policy, tok, bench.items, out, { irRounds, onProgress: (done, total, note) => process.stderr.write(progressLine(done, total, started, note)) });
  } finally {
    process.stderr.write('\n');
    policy.dispose();
  }
}

/** The endpoint run's settings, checked before anything runs. */
function endpointSetup(v: Values, irRounds: number) {
  const endpoint = str(v, 'endpoint')!;
  if (!/^https?:\/\/./.test(endpoint)) throw new BenchUsageError(`--endpoint must be an http(s) URL such as http://127.0.0.1:8000/v1, got ${JSON.stringify(endpoint)}`);
  const concurrency = numberOption('concurrency', str(v, 'concurrency'), 4, 1, 256);
  const temperature = numberOption('temperature', str(v, 'temperature'), 0, 0, 2, false);
  const apiKey = apiKeyFromEnv(str(v, 'api-key-env'), 'api-key-env');
  const promptFile = str(v, 'system-prompt');
  if (promptFile !== undefined && !existsSync(promptFile)) throw new BenchUsageError(`--system-prompt ${promptFile}: file not found`);
  const systemPrompt = promptFile === undefined ? SYSTEM_PROMPT : readFileSync(promptFile, 'utf8').trim();
  return { client: createChatClient({ endpoint, apiKey }), options: { model: str(v, 'model')!, systemPrompt, irRounds, temperature, concurrency, cacheDir: str(v, 'cache') } };
}

/** Any VLM behind an OpenAI-compatible endpoint, with the paper's protocol. */
async function endpointOutputs({ client, options }: ReturnType<typeof endpointSetup>, bench: LoadedBench, out: string): Promise<EndpointRun & { endpoint: string }> {
  const started = performance.now();
  const run = await runEndpointOnBench(client, bench.items, out, {
    ...options,
    onProgress: (done, total, cached) => process.stderr.write(progressLine(done, total, started, cached ? `(${cached} from cache)` : '')),
  });
  process.stderr.write('\n');
  for (const f of run.failures.slice(0, 5)) console.error(`failed: ${f.id} ${f.task}: ${f.error}`);
  if (run.failures.length > 5) console.error(`... and ${run.failures.length - 5} more failures`);
  if (run.abandoned > 0) console.error(`stopped after ${run.failures.length} failures in a row: ${run.abandoned} (item, task) pairs not tried; fix the endpoint and run again (finished pairs come from the cache)`);
  return { ...run, endpoint: client.url };
}

export async function evalCommand(args: string[], env: { root: string; profile: string }): Promise<number> {
  return withUsageErrors(async () => {
    const { values } = parseArgs({ args, options: {
      model: { type: 'string' }, bench: { type: 'string' }, out: { type: 'string' }, results: { type: 'string' }, name: { type: 'string' },
      rounds: { type: 'string' }, json: { type: 'boolean' }, profile: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      endpoint: { type: 'string' }, 'api-key-env': { type: 'string' }, concurrency: { type: 'string' }, 'system-prompt': { type: 'string' },
      temperature: { type: 'string' }, cache: { type: 'string' }, ...JUDGE_ARG_OPTIONS,
    } });
    if (values.help) return (console.log(EVAL_HELP), 0);
    if (!values.model || !values.bench) {
      console.error(`usage: ${EVAL_USAGE}\n(vthinker eval --help for the options)`);
      return 2;
    }
    const stray = ENDPOINT_ONLY.find((k) => values[k] !== undefined);
    if (!values.endpoint && stray) throw new BenchUsageError(`--${stray} needs --endpoint URL (our policy in process takes none)`);
    const irRounds = numberOption('rounds', values.rounds, 5, 1, 20);
    // Everything that can be wrong with the command line or the benchmark is found before the model runs.
    const endpoint = values.endpoint ? endpointSetup(values, irRounds) : undefined;
    const dir = values.endpoint ? undefined : policyDir(values.model, env);
    const setup = judgeSetupFrom(values);
    const bench = await readBench(values.bench, loadOptionsFrom(values));
    const out = values.out ?? 'eval-out';
    const endpointRun = endpoint ? await endpointOutputs(endpoint, bench, out) : undefined;
    const { tools } = endpointRun ?? await policyOutputs(dir!, bench, out, irRounds);
    const judging = setup.mode === 'rules' ? undefined : performance.now();
    const name = values.name ?? (values.endpoint ? values.model : basename(values.model));
    const run = await scoreRun(bench, out, setup, {
      resultsDir: values.results ?? out, name,
      onProgress: judging === undefined ? undefined : (done, total) => process.stderr.write(progressLine(done, total, judging, 'judged')),
    });
    if (judging !== undefined) process.stderr.write('\n');
    const failed = endpointRun !== undefined && (endpointRun.abandoned > 0 || (endpointRun.failures.length > 0 && endpointRun.failures.length === run.report.rows.length));
    if (values.json) {
      console.log(JSON.stringify({ ...run.summary, results: resultLines(run.report), files: run.files, ...endpointRun, tools }, null, 2));
    } else {
      console.log(summaryText(run.summary));
      console.log('sandbox use:');
      for (const t of TASKS) console.log(`  ${COLUMN[t].padEnd(31)} ${toolUseText(tools[t])}`);
      console.log(`per-item verdicts: ${run.files[0]}; outputs in ${out} (judge them again with: vthinker judge --bench ${values.bench} --outputs ${out})`);
    }
    return failed ? 1 : 0;
  });
}
