// What `vthinker judge` and `vthinker eval` share: the judge options (rules, a model behind an OpenAI-compatible
// endpoint, or both), the loader options, and one call from a benchmark and model outputs to the run's results
// (scoreRun). Input errors are BenchUsageError / BenchFormatError: one line and exit 2 (cli/usage.ts).
import { numberOption } from '../cli/usage.ts';
import { BenchUsageError } from './records.ts';
import { apiKeyFromEnv, createChatClient } from './chat-client.ts';
import { defaultJudges, type Judge } from './judges.ts';
import { DEFAULT_PROMPTS, loadJudgePrompts, modelJudge } from './model-judge.ts';
import { judgeItems, type JudgeOptions, type JudgeReport, type OutputReader } from './outputs.ts';
import type { LoadedBench, LoadOptions } from './layout.ts';
import { type RunSummary, runSummary, writeRunReport } from './run-report.ts';
import { TASKS, type Task } from './types.ts';

/** parseArgs options for the judge and the loader, to merge into a command's own. */
export const JUDGE_ARG_OPTIONS = {
  judge: { type: 'string' },
  'judge-endpoint': { type: 'string' },
  'judge-model': { type: 'string' },
  'judge-api-key-env': { type: 'string' },
  'judge-prompt': { type: 'string' },
  'judge-concurrency': { type: 'string' },
  images: { type: 'string' },
  'skip-broken': { type: 'boolean' },
} as const;

export const JUDGE_ARG_HELP = `  --judge rules|model|both   rules (default): the deterministic judges; model: a multimodal model judge behind
                             --judge-endpoint; both: scored by the model, the rules' verdicts and the two judges'
                             agreement per task reported beside it
  --judge-endpoint URL       an OpenAI-compatible server (http://host:8000/v1)
  --judge-model NAME         the judge model's name on that server
  --judge-api-key-env VAR    the environment variable holding its API key (the key itself never goes on the line)
  --judge-prompt FILE        prompt templates as JSON {perception, instruction, extract, reasoning, system}: e.g. the
                             official text; {question} {answer} {response} {extracted} are filled in
  --judge-concurrency N      judge requests in flight (default 8 with a model judge)
  --images DIR               where image paths of a JSON benchmark are (default: beside the JSON file)
  --skip-broken              skip and report broken items (a missing or undecodable image, a wrong type) instead of
                             stopping at the first`;

export type JudgeMode = 'rules' | 'model' | 'both';

export interface JudgeSetup {
  mode: JudgeMode;
  endpoint?: string;
  model?: string;
  /** Read from the environment variable --judge-api-key-env names. */
  apiKey?: string;
  promptFile?: string;
  concurrency?: number;
}

type ArgValues = Partial<Record<keyof typeof JUDGE_ARG_OPTIONS, string | boolean>>;

/** The judge setup from parsed options; bad combinations are usage errors. */
export function judgeSetupFrom(values: ArgValues): JudgeSetup {
  const mode = (values.judge ?? 'rules') as string;
  if (!['rules', 'model', 'both'].includes(mode)) throw new BenchUsageError(`--judge must be rules, model or both, got ${mode}`);
  const setup: JudgeSetup = { mode: mode as JudgeMode };
  const str = (k: keyof ArgValues) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const endpoint = str('judge-endpoint'), model = str('judge-model'), promptFile = str('judge-prompt');
  const given = values['judge-concurrency'];
  const concurrency = given === undefined ? undefined : numberOption('judge-concurrency', String(given), 1, 1);
  if (mode === 'rules') {
    const stray = (['judge-endpoint', 'judge-model', 'judge-prompt', 'judge-api-key-env'] as const).find((k) => values[k] !== undefined);
    if (stray) throw new BenchUsageError(`--${stray} needs --judge model or --judge both`);
    return concurrency === undefined ? setup : { ...setup, concurrency };
  }
  if (!endpoint) throw new BenchUsageError(`--judge ${mode} needs --judge-endpoint URL (an OpenAI-compatible server, e.g. http://localhost:8000/v1)`);
  if (!/^https?:\/\//.test(endpoint)) throw new BenchUsageError(`--judge-endpoint must be an http(s) URL, got ${endpoint}`);
  const apiKey = apiKeyFromEnv(str('judge-api-key-env'), 'judge-api-key-env');
  return { ...setup, endpoint, ...(model ? { model } : {}), ...(apiKey ? { apiKey } : {}), ...(promptFile ? { promptFile } : {}), ...(concurrency ? { concurrency } : {}) };
}

/** Loader options from parsed options. */
export function loadOptionsFrom(values: ArgValues): LoadOptions {
  return { ...(typeof values.images === 'string' ? { images: values.images } : {}), ...(values['skip-broken'] ? { skipBroken: true } : {}) };
}

/** The judges of a setup: which scores, which is reported beside it, and how many judgements at once. */
export function judgeOptionsFor(setup: JudgeSetup): Pick<JudgeOptions, 'judges' | 'secondJudges' | 'concurrency'> {
  const rules = defaultJudges();
  if (setup.mode === 'rules') return { judges: rules, concurrency: setup.concurrency ?? 1 };
  let prompts = DEFAULT_PROMPTS;
  if (setup.promptFile) {
    try {
      prompts = loadJudgePrompts(setup.promptFile);
    } catch (error) {
      throw new BenchUsageError((error as Error).message);
    }
  }
  const client = createChatClient({ endpoint: setup.endpoint!, model: setup.model, apiKey: setup.apiKey });
  const model = Object.fromEntries(TASKS.map((t) => [t, modelJudge(t, client, prompts)])) as Record<Task, Judge>;
  return { judges: model, ...(setup.mode === 'both' ? { secondJudges: rules } : {}), concurrency: setup.concurrency ?? 8 };
}

export interface ScoreRunOptions {
  /** Where results.jsonl, summary.json and table.md go (nothing is written without it). */
  resultsDir?: string;
  /** The run's name in the table (default "model"). */
  name?: string;
  onProgress?: (done: number, total: number) => void;
}

/**
 * One judged run: the bench's items judged on `outputs` (an outputs folder, or a reader of in-memory responses)
 * with the setup's judges, the loader's skips carried along, results written when `resultsDir` is given.
 */
export async function scoreRun(bench: LoadedBench, outputs: string | OutputReader, setup: JudgeSetup, options: ScoreRunOptions = {}): Promise<{ report: JudgeReport; summary: RunSummary; files: string[] }> {
  const report = await judgeItems(bench.items, outputs, { ...judgeOptionsFor(setup), skipped: bench.skipped, onProgress: options.onProgress });
  const name = options.name ?? 'model';
  if (options.resultsDir === undefined) return { report, summary: runSummary(report, name), files: [] };
  const { files, summary } = writeRunReport(report, options.resultsDir, name);
  return { report, summary, files };
}
