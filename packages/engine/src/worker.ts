// `vthinker worker`: takes stage jobs from BullMQ queues and runs them exactly as a local run would (a child
// process per stage, a private temporary folder, outputs hashed and renamed into the shared store only on
// success). It advertises what it offers (queues, GPUs, the project's workerFacts()), refuses jobs it cannot run
// with a reason (unknown stage, missing GPU, a different key: its code, packages or runtime differ), materialises
// inputs from the shared store by digest (verified), and returns the StageResult; the coordinator writes the run
// record, the workspace and the lock file. A worker killed mid-stage publishes nothing: its child process exits
// when the worker's IPC channel closes, and BullMQ's stalled-job check hands the job to another worker.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Job, Worker } from 'bullmq';
import { assessContext, inputStages, type AssessContext } from './assess.ts';
import { prepareCheckpoint } from './checkpoint.ts';
import { dataJobInputs } from './data-inputs.ts';
import { isCommandStage } from './define.ts';
import { UserError } from './errors.ts';
import type { EventSink } from './events.ts';
import { executeJob, ProcessExecutor, type StageJob, type StageResult } from './executor.ts';
import { computeKey } from './key.ts';
import { msg } from './messages.ts';
import { optionalPeer } from './optional.ts';
import { explainDiff } from './preimage.ts';
import type { Project } from './project.ts';
import { cancelChannel, connectionOptions, connectRedis, END, eventChannel, prefix, workersKey, type QueueJobData } from './queue.ts';

export interface WorkerOptions {
  url: string;
  queues: string[];
  concurrency?: number;
  /** How long a job's lock lives without renewal: a worker silent this long is presumed lost (ms). */
  lockMs?: number;
  /** Where the worker says what it does (one line at a time). */
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export type Facts = Record<string, string | number | boolean>;

/** GPUs this machine offers: VTHINKER_GPUS, else the project's workerFacts().gpus, else `nvidia-smi -L`. */
export function gpuCount(facts: Facts): number {
  if (process.env.VTHINKER_GPUS !== undefined) return Number(process.env.VTHINKER_GPUS) || 0;
  if (facts.gpus !== undefined) return Number(facts.gpus) || 0;
  try {
    return execFileSync('nvidia-smi', ['-L'], { encoding: 'utf8', timeout: 3000, stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter((l) => l.startsWith('GPU')).length;
  } catch {
    return 0;
  }
}

/** Runs until `signal` aborts (then finishes its current jobs and leaves). */
export async function runWorker(project: Project, options: WorkerOptions): Promise<void> {
  const log = options.log ?? ((line: string) => console.log(line));
  const facts: Facts = { ...((await project.def.workerFacts?.()) ?? {}) };
  const gpus = gpuCount(facts);
  if (options.queues.includes('gpu') && gpus < 1) throw new UserError(msg.workerNoGpu(options.queues.join(',')));
  const cmd = await connectRedis(options.url);
  const sub = cmd.duplicate();
  sub.on('error', () => undefined);
  const { Worker: BullWorker, UnrecoverableError } = await optionalPeer('bullmq', 'a queue worker', () => import('bullmq'));
  const id = `${hostname()}:${process.pid}`;
  const lockMs = options.lockMs ?? Number(process.env.VTHINKER_WORKER_LOCK_MS ?? 30_000);
  const concurrency = options.concurrency ?? 1;
  const { store, statCache } = project;
  const executor = new ProcessExecutor(store, statCache, project.graph.byName);
  const contexts = new Map<string, AssessContext>();
  const running = new Map<string, AbortController>();

  const advertise = () =>
    cmd.hset(workersKey(), id, JSON.stringify({ id, host: hostname(), pid: process.pid, queues: options.queues, concurrency, gpus, facts, seen: new Date().toISOString() }));
  await advertise();
  const heartbeat = setInterval(() => void advertise().catch(() => undefined), 5000);
  await sub.subscribe(cancelChannel());
  sub.on('message', (_channel: string, jobId: string) => running.get(jobId)?.abort());

  const refuse = (stage: string, reason: string) => new UnrecoverableError(msg.workerRefused(id, stage, reason));

  const process_ = async (job: Job<QueueJobData>): Promise<StageResult> => {
    const data = job.data;
    const publish: EventSink = (e) => void cmd.publish(eventChannel(job.id!), JSON.stringify(e)).catch(() => undefined);
    const def = project.graph.byName.get(data.stage);
    if (!def) throw refuse(data.stage, 'this checkout has no such stage');
    const wantGpu = typeof data.resources?.gpu === 'number' ? data.resources.gpu : 0;
    if (wantGpu > gpus) throw refuse(data.stage, `it needs ${wantGpu} GPU(s), this worker has ${gpus}`);
    // Same key here as on the coordinator, or the result would be stored under a key that does not describe it.
    let actx = contexts.get(data.profile);
    if (!actx) contexts.set(data.profile, (actx = assessContext(project, data.profile)));
    const digests = Object.fromEntries(Object.entries(data.inputs).map(([k, r]) => [k, r.digest]));
    const mine = { ...actx.builder.full(def, digests), params: data.params };
    if (computeKey(mine) !== data.key) throw refuse(data.stage, msg.workerKeyMismatch(data.stage, explainDiff(data.preimage, mine, inputStages(def))));
    const scratch = store.makeTmp(`in-${data.stage}`);
    const controller = new AbortController();
    running.set(job.id!, controller);
    try {
      const inputs: StageJob['inputs'] = {};
      for (const [name, record] of Object.entries(data.inputs)) {
        // Not there (yet): an NFS client's attribute cache can lag; a plain error is retried with backoff.
        if (!store.hasOutput(record)) throw new Error(msg.workerInputMissing(data.stage, name, record.digest));
        const path = join(scratch, name, record.path);
        store.materialise(record, path);
        inputs[name] = { path, record };
      }
      const checkpointDir = def.checkpoint ? prepareCheckpoint(store.checkpoints, data.profile, data.stage, data.key) : undefined;
      const stageJob: StageJob = {
        stage: data.stage,
        key: data.key,
        profile: data.profile,
        root: project.root,
        pipelinePath: project.pipelinePath,
        params: data.params,
        inputs,
        ...(mine.data ? { data: dataJobInputs(def, mine) } : {}),
        outputs: def.outputs,
        cpus: data.cpus,
        ...(data.resources ? { resources: data.resources } : {}),
        ...(checkpointDir ? { checkpointDir } : {}),
        ...(isCommandStage(def) ? { command: def.command } : {}),
      };
      publish({ type: 'notice', message: `${data.stage} runs on worker ${id}` });
      log(`${new Date().toISOString()} ${id} running ${data.stage} (job ${job.id}, attempt ${job.attemptsMade + 1})`);
      try {
        const result = await executeJob(executor, stageJob, publish, controller.signal);
        statCache.save();
        log(`${new Date().toISOString()} ${id} finished ${data.stage} in ${result.durationS.toFixed(2)} s`);
        return result;
      } catch (error) {
        const text = (error as Error).message;
        log(`${new Date().toISOString()} ${id} ${data.stage} failed: ${text.split('\n')[0]}`);
        // A stage's own failure is final unless the coordinator asked for retries (--retry N).
        throw data.retryFailures && !controller.signal.aborted ? new Error(text) : new UnrecoverableError(text);
      }
    } finally {
      running.delete(job.id!);
      rmSync(scratch, { recursive: true, force: true });
    }
  };

  const workers: Worker[] = options.queues.map((queue) => {
    const w = new BullWorker<QueueJobData, StageResult>(queue, process_, {
      connection: connectionOptions(options.url),
      prefix: prefix(),
      concurrency,
      lockDuration: lockMs,
      stalledInterval: Math.max(500, Math.floor(lockMs / 2)),
      // A job whose worker vanished goes back to the queue twice; the third loss fails it ("stalled").
      maxStalledCount: 2,
    });
    const end = (job: Job | undefined) => job?.id && void cmd.publish(eventChannel(job.id), END).catch(() => undefined);
    w.on('completed', end);
    w.on('failed', end);
    w.on('error', (error) => log(`${id}: ${error.message}`));
    return w;
  });
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  log(`worker ${id} serving ${options.queues.join(', ')} (concurrency ${concurrency}, ${gpus} GPU(s)${Object.keys(facts).length ? `, ${JSON.stringify(facts)}` : ''}) on ${options.url} prefix ${prefix()}`);
  await new Promise<void>((resolve) => {
    if (options.signal?.aborted) resolve();
    options.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  log(`worker ${id} stopping: finishing running jobs`);
  await Promise.all(workers.map((w) => w.close()));
  clearInterval(heartbeat);
  await cmd.hdel(workersKey(), id).catch(() => undefined);
  sub.disconnect();
  cmd.disconnect();
}
