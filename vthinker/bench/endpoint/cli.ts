// `vthinker eval --endpoint URL --model NAME --bench FILE`: any OpenAI-compatible VLM (or `vthinker serve`) scored
// with the paper's protocol. Progress on stderr, scores on stdout (a line per task, or --json with per-item verdicts).
import { existsSync, readFileSync } from 'node:fs';
import { TASK_COLUMN } from '../evaluate-model.ts';
import { loadBench } from '../layout.ts';
import { TASKS } from '../types.ts';
import { createChatClient } from './chat.ts';
import { SYSTEM_PROMPT } from './protocol.ts';
import { runEndpointOnBench } from './run-endpoint.ts';

export interface EndpointArgs {
  endpoint: string;
  model: string;
  bench: string;
  out?: string;
  rounds?: string;
  json?: boolean;
  'api-key-env'?: string;
  concurrency?: string;
  'system-prompt'?: string;
  temperature?: string;
  cache?: string;
}

const usageError = (message: string) => (console.error(`vthinker eval: ${message}`), 2);

/** A one-line progress bar, redrawn in place. */
export function progressLine(done: number, total: number, startedMs: number, note = ''): string {
  const width = 24, filled = Math.round((width * done) / Math.max(1, total));
  const rate = done / Math.max(1e-3, (performance.now() - startedMs) / 1000);
  const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${rate.toFixed(1)}/s eta ${eta}s ${note}   `;
}

export async function evalEndpoint(a: EndpointArgs): Promise<number> {
  if (!/^https?:\/\/./.test(a.endpoint)) return usageError(`--endpoint must be an http(s) URL such as http://127.0.0.1:8000/v1, got ${JSON.stringify(a.endpoint)}`);
  const concurrency = Number(a.concurrency ?? '4');
  if (!(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 256)) return usageError(`--concurrency must be an integer from 1 to 256, got ${JSON.stringify(a.concurrency)}`);
  const rounds = Number(a.rounds ?? '5');
  if (!(Number.isInteger(rounds) && rounds >= 1 && rounds <= 20)) return usageError(`--rounds must be an integer from 1 to 20, got ${JSON.stringify(a.rounds)}`);
  const temperature = Number(a.temperature ?? '0');
  if (!(Number.isFinite(temperature) && temperature >= 0 && temperature <= 2)) return usageError(`--temperature must be a number from 0 to 2, got ${JSON.stringify(a.temperature)}`);
  let apiKey: string | undefined;
  if (a['api-key-env']) {
    apiKey = process.env[a['api-key-env']];
    if (!apiKey) return usageError(`--api-key-env ${a['api-key-env']}: that environment variable is not set`);
  }
  let systemPrompt = SYSTEM_PROMPT;
  if (a['system-prompt'] !== undefined) {
    if (!existsSync(a['system-prompt'])) return usageError(`--system-prompt ${a['system-prompt']}: file not found`);
    systemPrompt = readFileSync(a['system-prompt'], 'utf8').trim();
  }
  if (!existsSync(a.bench)) return usageError(`--bench ${a.bench}: file not found`);
  let items;
  try {
    items = await loadBench(a.bench);
  } catch (error) {
    return usageError((error as Error).message.split('\n')[0]!);
  }
  const out = a.out ?? 'eval-out';
  const client = createChatClient({ endpoint: a.endpoint, apiKey });
  const started = performance.now();
  const run = await runEndpointOnBench(client, items, out, {
    model: a.model, systemPrompt, irRounds: rounds, temperature, concurrency, cacheDir: a.cache,
    onProgress: (done, total, cached) => process.stderr.write(progressLine(done, total, started, cached ? `(${cached} from cache)` : '')),
  });
  process.stderr.write('\n');
  for (const f of run.failures.slice(0, 5)) console.error(`failed: ${f.id} ${f.task}: ${f.error}`);
  if (run.failures.length > 5) console.error(`... and ${run.failures.length - 5} more failures`);
  if (run.abandoned > 0) console.error(`stopped after ${run.failures.length} failures in a row: ${run.abandoned} (item, task) pairs not tried; fix the endpoint and run again (finished pairs come from the cache)`);
  const pct = (v: number) => +(100 * v).toFixed(1);
  const tasks = Object.fromEntries(TASKS.map((t) => {
    const s = run.report.summary[t].overall;
    return [TASK_COLUMN[t], { score: pct(s.accuracy), lo: pct(s.low), hi: pct(s.high), n: s.total }];
  }));
  if (a.json) {
    const verdicts: Record<string, Record<string, 0 | 1>> = {};
    for (const row of run.report.rows) (verdicts[row.id] ??= {})[TASK_COLUMN[row.task]] = row.score;
    console.log(JSON.stringify({ endpoint: client.url, model: a.model, items: items.length, tasks, tools: run.tools, usage: run.usage, cached: run.cached, failures: run.failures, abandoned: run.abandoned, verdicts }, null, 2));
  } else {
    for (const t of TASKS) {
      const s = tasks[TASK_COLUMN[t]]!, tool = run.tools[t];
      console.log(`${TASK_COLUMN[t].padEnd(11)} ${s.score.toFixed(1).padStart(5)}%  [${s.lo.toFixed(1)}, ${s.hi.toFixed(1)}]  n=${s.n}  calls/item ${tool.callsPerItem.toFixed(2)}  ran ${(100 * tool.callSuccess).toFixed(0)}%  python ${tool.python}`);
    }
    console.log(`outputs in ${out} (judge them again with: vthinker judge --bench ${a.bench} --outputs ${out})`);
  }
  return run.abandoned > 0 || (run.failures.length === items.length * TASKS.length && items.length > 0) ? 1 : 0;
}
