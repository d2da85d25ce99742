// The queue executor: stage jobs go to BullMQ queues on a Redis server and run on `vthinker worker` processes on
// other machines. One queue per resource class (`cpu`, `gpu`, or a stage's named `pool`). A job carries the stage's
// key, name, profile, params, pre-image and the digests (OutputRecords) of its inputs, never artifact bytes: bytes
// move only through the shared store. Events come back over a Redis pub/sub channel per job; the job's return
// value is the StageResult (outputs already ingested into the shared store by the worker). bullmq and ioredis are
// imported lazily (types only here), so a local run never loads them.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Resources } from './define.ts';
import { UserError } from './errors.ts';
import type { EngineEvent, EventSink } from './events.ts';
import type { Adopted, Executor, JobHandle, StageJob, StageResult } from './executor.ts';
import type { KeyPreimage } from './key.ts';
import { msg } from './messages.ts';
import { optionalPeer } from './optional.ts';
import type { ParamValue } from './params.ts';
import type { PoolSizes } from './pools.ts';
import type { OutputRecord } from './store.ts';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
/** Key prefix of every queue and channel in Redis (several projects can share one server with different ones). */
/** Read when used (VTHINKER_QUEUE_PREFIX), not when this module loads. */
export const prefix = (): string => process.env.VTHINKER_QUEUE_PREFIX ?? 'vthinker';
export const eventChannel = (jobId: string) => `${prefix()}:events:${jobId}`;
export const cancelChannel = () => `${prefix()}:cancel`;
export const workersKey = () => `${prefix()}:workers`;
/** Sent on a job's channel by the worker once the job settled (completed or failed), so followers wake at once. */
export const END = '__end__';

/** The URL from --redis, else VTHINKER_REDIS_URL, else the default local server. */
export const redisUrl = (flag?: string): string => flag ?? process.env.VTHINKER_REDIS_URL ?? DEFAULT_REDIS_URL;

/** What a job carries: everything a worker needs to run the stage and check it computes the same key. */
export interface QueueJobData {
  v: 1;
  stage: string;
  key: string;
  profile: string;
  params: Record<string, ParamValue>;
  /** The coordinator's pre-image: the worker recomputes its own and refuses on a difference (explained). */
  preimage: KeyPreimage;
  /** Input name -> the digest record of the upstream output (the worker materialises it from the shared store). */
  inputs: Record<string, OutputRecord>;
  cpus: number;
  resources?: Resources;
  /** Re-run the stage when it fails by itself (not only when its worker is lost). */
  retryFailures: boolean;
  submittedBy: string;
}

/** The queue a stage goes to: its named pool, else `gpu` when it needs one, else `cpu`. */
export function queueFor(resources: Resources | undefined): string {
  if (resources?.pool) return resources.pool;
  return typeof resources?.gpu === 'number' && resources.gpu > 0 ? 'gpu' : 'cpu';
}

/** BullMQ connection options for a redis:// URL (workers need maxRetriesPerRequest: null for blocking calls). */
export function connectionOptions(url: string): Record<string, unknown> {
  const u = new URL(url);
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    connectTimeout: 2000,
  };
}

/**
 * A plain client, connected and answering PING, or a UserError that says how to start Redis. Never hangs: one
 * connection attempt with a short timeout, no retries while probing.
 */
export async function connectRedis(url: string, timeoutMs = 1500): Promise<Redis> {
  const { Redis: Client } = await optionalPeer('ioredis', 'the queue executor', () => import('ioredis'));
  const client = new Client({ ...connectionOptions(url), lazyConnect: true, connectTimeout: timeoutMs, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on('error', () => undefined);
  try {
    await withTimeout(client.connect(), timeoutMs + 500);
    await withTimeout(client.ping(), timeoutMs);
  } catch (error) {
    client.disconnect();
    throw new UserError(msg.redisUnreachable(url, (error as Error).message || String(error)));
  }
  // After the probe, behave as a long-lived client: reconnect on blips instead of failing every call.
  client.options.retryStrategy = (times: number) => Math.min(times * 200, 2000);
  client.options.maxRetriesPerRequest = null;
  return client;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms))),
  ]);
}

export interface QueueExecutorOptions {
  url: string;
  /** Extra attempts for a stage that fails by itself (0: a stage's own failure is final). */
  retries?: number;
  /** How often a follower looks at the job's state when no message woke it (ms). */
  pollMs?: number;
}

interface Follower {
  sink: EventSink;
  wake: () => void;
}

export class QueueExecutor implements Executor {
  readonly name = 'queue';
  readonly durable = true;
  private readonly queues = new Map<string, Queue>();
  private readonly followers = new Map<string, Follower>();
  /** Events that arrived before `follow` attached (a fast job can start before the coordinator follows it). */
  private readonly early = new Map<string, EngineEvent[]>();

  private constructor(
    private readonly options: QueueExecutorOptions,
    private readonly bull: typeof import('bullmq'),
    private readonly cmd: Redis,
    private readonly sub: Redis,
  ) {
    sub.on('message', (channel: string, text: string) => {
      const id = channel.slice(eventChannel('').length);
      const f = this.followers.get(id);
      if (text === END) return f?.wake();
      let event: EngineEvent;
      try {
        event = JSON.parse(text) as EngineEvent;
      } catch {
        return;
      }
      if (f) f.sink(event);
      else this.early.get(id)?.push(event);
    });
  }

  static async connect(options: QueueExecutorOptions): Promise<QueueExecutor> {
    const cmd = await connectRedis(options.url);
    const sub = cmd.duplicate();
    sub.on('error', () => undefined);
    const bull = await optionalPeer('bullmq', 'the queue executor', () => import('bullmq'));
    return new QueueExecutor(options, bull, cmd, sub);
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new this.bull.Queue(name, { connection: connectionOptions(this.options.url), prefix: prefix() });
      q.on('error', () => undefined);
      this.queues.set(name, q);
    }
    return q;
  }

  /** Every queue worth looking in for a job id (the handle names its queue). */
  private async job(handle: JobHandle): Promise<Job | undefined> {
    return (await this.queue(handle.where ?? 'cpu').getJob(handle.id)) as Job | undefined;
  }

  pools(): Partial<PoolSizes> {
    // Capacity is the workers', not this machine's: the coordinator submits every ready stage.
    return { cpu: 1e6, gpu: 1e6, memoryMb: 1e9, jobs: 1024 };
  }

  async submit(job: StageJob, _signal: AbortSignal): Promise<JobHandle> {
    const where = queueFor(job.resources);
    const id = `${job.key.slice(0, 16)}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    // Subscribe before the job exists, so no event of a fast job is lost.
    this.early.set(id, []);
    await this.sub.subscribe(eventChannel(id));
    const data: QueueJobData = {
      v: 1,
      stage: job.stage,
      key: job.key,
      profile: job.profile,
      params: job.params,
      preimage: job.preimage!,
      inputs: Object.fromEntries(Object.entries(job.inputs).map(([k, v]) => [k, v.record])),
      cpus: job.cpus,
      ...(job.resources ? { resources: job.resources } : {}),
      retryFailures: (this.options.retries ?? 0) > 0,
      submittedBy: `${hostname()}:${process.pid}`,
    };
    const week = 7 * 24 * 3600;
    await this.queue(where).add(job.stage, data, {
      jobId: id,
      // Attempts cover worker-side trouble (an input not yet visible on the shared store, Redis blips) and, with
      // --retry, the stage's own failures; a stage's failure is otherwise final (the worker marks it unrecoverable).
      attempts: Math.max(3, 1 + (this.options.retries ?? 0)),
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: week },
      removeOnFail: { age: week },
    });
    return { executor: this.name, id, where };
  }

  async follow(handle: JobHandle, sink: EventSink, signal: AbortSignal): Promise<StageResult> {
    const id = handle.id;
    let wake: () => void = () => undefined;
    let woken = false;
    const early = this.early.get(id) ?? [];
    this.early.delete(id);
    this.followers.set(id, {
      sink,
      wake: () => {
        woken = true;
        wake();
      },
    });
    if (!early.length) await this.sub.subscribe(eventChannel(id));
    for (const e of early) sink(e);
    const stageName = (await this.job(handle))?.name ?? id;
    let toldWaiting = false;
    const since = Date.now();
    try {
      for (;;) {
        if (signal.aborted) throw new Error(`job ${id} cancelled`);
        const job = await this.job(handle);
        if (!job) throw new Error(`job ${id} disappeared from queue ${handle.where}`);
        const state = await job.getState();
        if (state === 'completed') {
          // `job` was read before getState: a job that completed in between has a stale, empty return value there.
          const result = (await this.job(handle))?.returnvalue as StageResult | null | undefined;
          if (!result) throw new Error(`job ${id} completed without a result in queue ${handle.where}`);
          return result;
        }
        if (state === 'failed') {
          const reason = job.failedReason || 'failed';
          throw new Error(/stalled/i.test(reason) ? msg.stageLost(stageName, reason) : reason);
        }
        if (!toldWaiting && state === 'waiting' && Date.now() - since > 1000) {
          toldWaiting = true;
          sink({ type: 'notice', message: msg.queueWaiting(stageName, handle.where ?? 'cpu') });
        }
        if (woken) {
          woken = false;
          continue;
        }
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            signal.removeEventListener('abort', done);
            wake = () => undefined;
            resolve();
          };
          const timer = setTimeout(done, this.options.pollMs ?? 500);
          signal.addEventListener('abort', done, { once: true });
          wake = done;
        });
        woken = false;
      }
    } finally {
      this.followers.delete(id);
      await this.sub.unsubscribe(eventChannel(id)).catch(() => undefined);
    }
  }

  async cancel(handle: JobHandle): Promise<void> {
    const job = await this.job(handle);
    if (!job) return;
    const state = await job.getState();
    if (['waiting', 'delayed', 'prioritized', 'paused'].includes(state)) await job.remove().catch(() => undefined);
    else if (state === 'active') await this.cmd.publish(cancelChannel(), handle.id);
  }

  async adopt(_key: string, handle: JobHandle): Promise<Adopted | undefined> {
    const job = await this.job(handle);
    if (!job) return undefined;
    const state = await job.getState();
    // A failed job is not adopted: the new run submits afresh (the stage may have been fixed meanwhile).
    return ['completed', 'active', 'waiting', 'delayed', 'prioritized', 'paused'].includes(state) ? { handle, state } : undefined;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    this.sub.disconnect();
    this.cmd.disconnect();
  }
}
