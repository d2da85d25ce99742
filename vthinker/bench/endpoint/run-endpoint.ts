// A chat endpoint on a benchmark: every item's three tasks through the paper's protocol (protocol.ts), N at a time,
// each finished (item, task) cached on disk so an interrupted eval resumes where it stopped, outputs written in the
// layout the judges read (outputs.ts: `<stem>.<task>.png/.txt`); `vthinker eval` then scores them as `vthinker judge`
// does (judge-setup.ts: scoreRun).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileStem } from '../layout.ts';
import { mapPool } from '../../util/pool.ts';
import type { ChatClient } from '../chat-client.ts';
import { toolUseOf, type ToolUse } from '../tool-use.ts';
import { type BenchItem, questionOf, type Task, TASKS } from '../types.ts';
import { runTask, type ProtocolOptions, type TaskRun } from './protocol.ts';

export interface EndpointRunOptions extends ProtocolOptions {
  /** Requests in flight at once. */
  concurrency: number;
  /** Where finished (item, task) results are kept; default `<outDir>/.endpoint-cache`. */
  cacheDir?: string;
  onProgress?: (done: number, total: number, cached: number) => void;
}

export interface EndpointRun {
  /** Per task: sandbox calls per item, the share that ran, answered, and how many calls were Python. */
  tools: Record<Task, ToolUse>;
  /** (item, task) pairs that failed for good (after retries), with the error; they count as missing outputs. */
  failures: { id: string; task: Task; error: string }[];
  /** Pairs never tried because the endpoint failed `max(3, concurrency)` times in a row (it is down, or refuses). */
  abandoned: number;
  cached: number;
  usage: { prompt: number; completion: number };
}

type Cached = Omit<TaskRun, 'image'>;

/** What a cached result depends on: the endpoint, the model, the prompt and decoding, the item's task. */
function cacheKey(endpoint: string, item: BenchItem, task: Task, o: ProtocolOptions): string {
  const image = createHash('sha256').update(item.image).digest('hex');
  const parts = { v: 2, endpoint, model: o.model, system: o.systemPrompt, temperature: o.temperature, rounds: task === 'reasoning' ? o.irRounds : 2, id: item.id, task, question: questionOf(item, task), image };
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

function writeAtomic(file: string, data: string | Uint8Array): void {
  writeFileSync(`${file}.tmp`, data);
  renameSync(`${file}.tmp`, file);
}

export async function runEndpointOnBench(client: ChatClient, items: readonly BenchItem[], outDir: string, o: EndpointRunOptions): Promise<EndpointRun> {
  const cacheDir = o.cacheDir ?? join(outDir, '.endpoint-cache');
  mkdirSync(cacheDir, { recursive: true });
  // A release item may lack a task (its annotation or answer is absent): it is neither run nor judged.
  const jobs = items.flatMap((item) => TASKS.filter((task) => item[task]).map((task) => ({ item, task })));
  const results = new Map<string, Cached>();
  const failures: EndpointRun['failures'] = [];
  let done = 0, cached = 0, failingInARow = 0;
  // An endpoint that is down or rejects every request would otherwise cost every item its full retry schedule.
  const giveUpAfter = Math.max(3, o.concurrency);

  const one = async ({ item, task }: (typeof jobs)[number]) => {
    const key = cacheKey(client.url, item, task, o);
    const json = join(cacheDir, `${key}.json`), png = join(cacheDir, `${key}.png`);
    let run: Cached;
    let image: Uint8Array;
    if (existsSync(json) && existsSync(png)) {
      run = JSON.parse(readFileSync(json, 'utf8')) as Cached;
      image = readFileSync(png);
      cached++;
    } else {
      const fresh = await runTask(client, item, task, o);
      ({ image, ...run } = fresh);
      writeAtomic(png, image);
      writeAtomic(json, JSON.stringify(run));
    }
    const stem = join(outDir, `${fileStem(item.id)}.${task}`);
    writeFileSync(`${stem}.txt`, run.text + '\n');
    if (task !== 'reasoning') writeFileSync(`${stem}.png`, image);
    results.set(`${item.id}\u0000${task}`, run);
  };

  // An earlier run's files would otherwise be judged as this run's output.
  const removeOutputs = (job: (typeof jobs)[number]) => {
    for (const ext of ['txt', 'png']) rmSync(join(outDir, `${fileStem(job.item.id)}.${job.task}.${ext}`), { force: true });
  };
  mkdirSync(outDir, { recursive: true });
  let abandoned = 0;
  await mapPool(jobs, o.concurrency, async (job) => {
    if (failingInARow >= giveUpAfter) return void (abandoned++, removeOutputs(job));
    try {
      await one(job);
      failingInARow = 0;
    } catch (error) {
      failingInARow++;
      failures.push({ id: job.item.id, task: job.task, error: (error as Error).message });
      removeOutputs(job);
    }
    o.onProgress?.(++done, jobs.length, cached);
  });

  const tools = {} as EndpointRun['tools'];
  const usage = { prompt: 0, completion: 0 };
  for (const task of TASKS) {
    const runs = items.map((it) => results.get(`${it.id}\u0000${task}`)).filter((r): r is Cached => r !== undefined);
    for (const r of runs) {
      usage.prompt += r.usage.prompt;
      usage.completion += r.usage.completion;
    }
    tools[task] = toolUseOf(runs, true);
  }
  return { tools, failures, abandoned, cached, usage };
}
