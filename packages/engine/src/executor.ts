// Executors run stage jobs: the stage writes into a private temporary folder, its outputs are checked, its inputs
// re-verified, and only then are its bytes moved into the store. The scheduler owns the Executor interface and has
// one code path for every executor: submit a job, follow it to its end (events stream to the sink), cancel it, and,
// after a restart of the coordinator, adopt a job an earlier coordinator submitted (only executors whose jobs
// outlive the coordinator can: the queue executor; local jobs die with it).
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeContext, type ContextSpec } from './context.ts';
import { hashDataInput, type DataJobInput } from './data-inputs.ts';
import { isCommandStage, type OutputSpec, type Resources, type StageDef } from './define.ts';
import type { EngineEvent, EventSink } from './events.ts';
import type { KeyPreimage } from './key.ts';
import { UserError } from './errors.ts';
import { ensureTsxEsm, tsxLoader } from './load-module.ts';
import { msg } from './messages.ts';
import type { ParamValue } from './params.ts';
import type { PoolSizes } from './pools.ts';
import type { Metrics, OutputRecord, Store } from './store.ts';
import type { StatCache } from './stat-cache.ts';

export interface StageJob {
  stage: string;
  key: string;
  profile: string;
  root: string;
  pipelinePath: string;
  params: Record<string, ParamValue>;
  /** Input name -> where it is materialised and what it must contain. */
  inputs: Record<string, { path: string; record: OutputRecord }>;
  /** Data input name -> the project file or folder it reads and the digest the key was computed with. */
  data?: Record<string, DataJobInput>;
  outputs: Record<string, OutputSpec>;
  checkpointDir?: string;
  command?: string;
  /** CPU cores granted by the scheduler. */
  cpus: number;
  /** What the stage declared (remote executors route on it: queue per resource class). */
  resources?: Resources;
  /** The key's pre-image (a remote worker recomputes its own and refuses the job when they differ). */
  preimage?: KeyPreimage;
}

export interface StageResult {
  outputs: Record<string, OutputRecord>;
  metrics: Metrics;
  durationS: number;
}

/** A submitted job, serialisable: the scheduler records it in the store's job journal (keyed by stage key). */
export interface JobHandle {
  /** Which executor owns it (`inline`, `process`, `queue`). */
  executor: string;
  id: string;
  /** Where the job waits (the queue's name), for messages. */
  where?: string;
}

/** What `adopt` found: a job of an earlier coordinator, still running or already finished. */
export interface Adopted {
  handle: JobHandle;
  state: string;
}

export interface Executor {
  /** Short name, stored in job journal entries. */
  readonly name: string;
  /** True when jobs outlive the coordinator (then the scheduler journals their handles for adoption). */
  readonly durable: boolean;
  /** Starts the job (or queues it) and returns at once; events it emits before `follow` are kept. */
  submit(job: StageJob, signal: AbortSignal): Promise<JobHandle>;
  /**
   * Streams the job's events to `sink` until it ends; resolves with its result (the outputs are in the store by
   * then) or rejects with the stage's error. Aborting `signal` stops following (and cancels the job).
   */
  follow(handle: JobHandle, sink: EventSink, signal: AbortSignal): Promise<StageResult>;
  /** Stops a job: a queued one is removed, a running one is killed; nothing it wrote is published. */
  cancel(handle: JobHandle): Promise<void>;
  /** A job an earlier coordinator submitted for this key (from the journal), if it can still be followed. */
  adopt(key: string, handle: JobHandle): Promise<Adopted | undefined>;
  /** Pool sizes this executor offers instead of this machine's (a queue's capacity is its workers'). */
  pools?(): Partial<PoolSizes>;
  /** Releases connections; called once when the run ends. */
  close?(): Promise<void>;
}

/** Runs a job to its end on any executor (for tools and tests that do not need a handle). */
export async function executeJob(executor: Executor, job: StageJob, sink: EventSink, signal: AbortSignal): Promise<StageResult> {
  const handle = await executor.submit(job, signal);
  return executor.follow(handle, sink, signal);
}

/** What a stage body needs to run in some process: given the context spec, run to completion or throw. */
type Body = (spec: ContextSpec, sink: EventSink, signal: AbortSignal, logFile: string) => Promise<void>;

/** Runs a job with `body`, then validates, re-checks inputs and publishes outputs into the store. */
async function runAndPublish(job: StageJob, store: Store, cache: StatCache, sink: EventSink, signal: AbortSignal, body: Body): Promise<StageResult> {
  const started = performance.now();
  const tmp = store.makeTmp(job.stage);
  const outDir = join(tmp, 'out');
  mkdirSync(outDir, { recursive: true });
  const spec: ContextSpec = {
    root: job.root,
    stage: job.stage,
    profile: job.profile,
    key: job.key,
    params: job.params,
    inputs: {
      ...Object.fromEntries(Object.entries(job.inputs).map(([k, v]) => [k, v.path])),
      ...Object.fromEntries(Object.entries(job.data ?? {}).map(([k, v]) => [k, join(job.root, v.path)])),
    },
    outputs: Object.fromEntries(Object.entries(job.outputs).map(([k, o]) => [k, join(outDir, o.path)])),
    ...(job.checkpointDir ? { checkpointDir: job.checkpointDir } : {}),
    cpus: job.cpus,
  };
  const metrics: Metrics = {};
  const collect: EventSink = (e) => {
    if (e.type === 'metric') metrics[e.name] = e.value;
    sink(e);
  };
  try {
    mkdirSync(store.logs, { recursive: true });
    await body(spec, collect, signal, join(store.logs, `${job.key}.log`));
    for (const [name, out] of Object.entries(job.outputs)) {
      const path = spec.outputs[name]!;
      if (!existsSync(path)) throw new UserError(msg.outputMissing(job.stage, name, out.path));
      const isDir = statSync(path).isDirectory();
      if (isDir !== (out.kind === 'dir')) throw new UserError(msg.outputWrongKind(job.stage, name, out.kind === 'dir' ? 'directory' : 'file'));
    }
    for (const [name, input] of Object.entries(job.inputs)) {
      if (!store.isMaterialised(input.record, input.path, cache, job.root)) throw new UserError(msg.inputChangedDuringRun(job.stage, name));
    }
    for (const [name, data] of Object.entries(job.data ?? {})) {
      if (hashDataInput(job.root, job.stage, name, data, cache) !== data.digest) throw new UserError(msg.inputChangedDuringRun(job.stage, name));
    }
    const outputs: Record<string, OutputRecord> = {};
    for (const [name, out] of Object.entries(job.outputs)) outputs[name] = store.ingest(out.kind, out.path, spec.outputs[name]!);
    return { outputs, metrics, durationS: (performance.now() - started) / 1000 };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The local side of the interface: a job is a promise in this process. `submit` starts it with a sink that keeps
 * events until `follow` attaches; local jobs cannot outlive the coordinator, so nothing is ever adopted.
 */
abstract class LocalExecutor implements Executor {
  abstract readonly name: string;
  readonly durable = false;
  private readonly jobs = new Map<string, { done: Promise<StageResult>; controller: AbortController; buffer: EngineEvent[]; sink?: EventSink }>();
  private next = 0;

  constructor(protected readonly store: Store, protected readonly cache: StatCache, protected readonly stages: Map<string, StageDef>) {}

  protected abstract body(job: StageJob, def: StageDef): Body;

  submit(job: StageJob, signal: AbortSignal): Promise<JobHandle> {
    const id = String(++this.next);
    const controller = new AbortController();
    const abort = () => controller.abort();
    signal.addEventListener('abort', abort, { once: true });
    const entry: { done: Promise<StageResult>; controller: AbortController; buffer: EngineEvent[]; sink?: EventSink } = {
      controller,
      buffer: [],
      done: Promise.resolve() as unknown as Promise<StageResult>,
    };
    const sink: EventSink = (e) => (entry.sink ? entry.sink(e) : entry.buffer.push(e));
    entry.done = runAndPublish(job, this.store, this.cache, sink, controller.signal, this.body(job, this.stages.get(job.stage)!)).finally(() =>
      signal.removeEventListener('abort', abort),
    );
    entry.done.catch(() => undefined);
    this.jobs.set(id, entry);
    return Promise.resolve({ executor: this.name, id });
  }

  async follow(handle: JobHandle, sink: EventSink, signal: AbortSignal): Promise<StageResult> {
    const entry = this.jobs.get(handle.id);
    if (!entry) throw new Error(`no local job ${handle.id}`);
    for (const e of entry.buffer.splice(0)) sink(e);
    entry.sink = sink;
    const abort = () => entry.controller.abort();
    signal.addEventListener('abort', abort, { once: true });
    try {
      return await entry.done;
    } finally {
      signal.removeEventListener('abort', abort);
      this.jobs.delete(handle.id);
    }
  }

  cancel(handle: JobHandle): Promise<void> {
    this.jobs.get(handle.id)?.controller.abort();
    return Promise.resolve();
  }

  adopt(): Promise<Adopted | undefined> {
    return Promise.resolve(undefined);
  }
}

/** Runs stage bodies inside this process: fastest, used by tests and `--executor inline`. */
export class InlineExecutor extends LocalExecutor {
  readonly name = 'inline';

  protected body(job: StageJob, def: StageDef): Body {
    return async (spec, events, sig, logFile) => {
      if (isCommandStage(def)) return runCommand(job, spec, events, sig, logFile);
      await ensureTsxEsm();
      const ctx = makeContext(spec, {
        progress: (done, total, note) => events({ type: 'progress', stage: job.stage, done, total, ...(note ? { note } : {}) }),
        metric: (name, value) => events({ type: 'metric', stage: job.stage, name, value }),
        log: (line) => {
          appendFileSync(logFile, `${line}\n`);
          events({ type: 'log', stage: job.stage, line });
        },
      });
      await def.run(ctx);
    };
  }
}

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

/** Runs each stage in a child Node process: real parallelism across cores, and a crash stays in the child. */
export class ProcessExecutor extends LocalExecutor {
  readonly name = 'process';

  protected body(job: StageJob, def: StageDef): Body {
    return (spec, events, sig, logFile) =>
      isCommandStage(def) || job.command ? runCommand(job, spec, events, sig, logFile) : runChild(job, spec, events, sig, logFile);
  }
}

function runChild(job: StageJob, spec: ContextSpec, sink: EventSink, signal: AbortSignal, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [], { execArgv: ['--import', tsxLoader()], stdio: ['ignore', 'pipe', 'pipe', 'ipc'], cwd: job.root });
    let failure: string | undefined;
    let finished = false;
    forwardOutput(child, job.stage, sink, logFile);
    const abort = () => child.kill('SIGTERM');
    signal.addEventListener('abort', abort, { once: true });
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'event') sink(m.event);
      else if (m.type === 'done') finished = true;
      else if (m.type === 'error') failure = m.message;
    });
    child.on('exit', (code, sig) => {
      signal.removeEventListener('abort', abort);
      if (finished && code === 0) resolve();
      else if (failure) reject(new Error(failure));
      else if (sig) reject(new Error(msg.stageKilled(job.stage, sig)));
      else reject(new Error(`stage process exited with code ${code}`));
    });
    child.send({ type: 'job', pipelinePath: job.pipelinePath, spec } satisfies ParentMessage);
  });
}

function forwardOutput(child: ChildProcess, stage: string, sink: EventSink, logFile: string): void {
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      appendFileSync(logFile, chunk);
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) sink({ type: 'log', stage, line });
    });
  }
}

/** External tools (as DVC stages): placeholders are filled in, params and paths also arrive as environment. */
function runCommand(job: StageJob, spec: ContextSpec, sink: EventSink, signal: AbortSignal, logFile: string): Promise<void> {
  const fill = (text: string) =>
    text.replace(/\{(out|in|param)\.([\w.@-]+)\}|\{checkpoint\}/g, (all, kind: string | undefined, name: string | undefined) => {
      if (!kind) return spec.checkpointDir ?? '';
      const table: Record<string, unknown> = kind === 'out' ? spec.outputs : kind === 'in' ? spec.inputs : spec.params;
      const value = table[name!];
      if (value === undefined) throw new UserError(`stage ${job.stage}: command placeholder ${all} names nothing declared`);
      return typeof value === 'string' ? value : JSON.stringify(value);
    });
  const command = fill(job.command!);
  for (const path of Object.values(spec.outputs)) mkdirSync(join(path, '..'), { recursive: true });
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], {
      cwd: job.root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, VTHINKER_STAGE: job.stage, VTHINKER_PARAMS: JSON.stringify(spec.params) },
    });
    forwardOutput(child, job.stage, sink, logFile);
    const abort = () => child.kill('SIGTERM');
    signal.addEventListener('abort', abort, { once: true });
    child.on('exit', (code) => {
      signal.removeEventListener('abort', abort);
      if (code === 0) resolve();
      else reject(new Error(msg.commandFailed(job.stage, code)));
    });
  });
}

export type ParentMessage = { type: 'job'; pipelinePath: string; spec: ContextSpec };
export type ChildMessage =
  | { type: 'event'; event: Parameters<EventSink>[0] }
  | { type: 'done' }
  | { type: 'error'; message: string };
