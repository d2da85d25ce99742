// Data parallelism over worker_threads (COMPUTE.md §3, 1.4-1.9x on 2 cores): every worker builds the same model from
// the same config, takes an equal shard of each batch, and all apply the same rank-ordered average of the shard
// gradients, so the replicas' weights stay bit-identical. `workers: 1` runs the one replica in this thread.
//
// Caveats: exact only for losses that are means over rows (equal shards); batch-norm style statistics become
// per-shard; per-replica randomness (dropout) must be seeded from ctx.rank; a tf.layers model needs this custom
// loop (variables + optimizer.applyGradients) rather than fit(). Gradients travel as float32 (no extra rounding).
//
// On WebGPU there is one replica, in a worker thread of its own: the calling thread keeps the CPU stack for
// evaluation and sampling (they read tensors synchronously, which GPU data does not allow; docs/gpu.md).
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../util/ts-worker.ts';
import { prepareBlasEnv } from './blas-env.ts';
import type { WorkerData, WorkerReply, WorkerRequest } from './dp-protocol.ts';
import { GradExchange } from './grad-exchange.ts';
import type { ComputeOptions } from './options.ts';
import { Replica } from './replica.ts';
import { trainingCompute } from './fingerprint.ts';
import { initCompute } from './setup.ts';
import { shardOf, type BuildTrainer, type HostBatch } from './trainer.ts';

export interface DataParallelOptions<Config> {
  /** Module exporting `build: BuildTrainer<Config>` (a path or file URL; workers import it). */
  trainer: string | URL;
  /** Passed to build() in every replica: must be structured-cloneable. */
  config: Config;
  /** Replicas (default 2); 1 runs in this thread without workers. WebGPU always has one replica, in a worker. */
  workers?: number;
  /** Default: trainingCompute() (the GPU when one is offered, else the CPU stack). */
  compute?: ComputeOptions;
}

export interface DataParallel {
  readonly world: number;
  /** The compute id every replica runs with (e.g. 'wasm+native-openblas'). */
  readonly computeId: string;
  /** One synchronous step over the whole batch; returns the mean of the shard losses (rank order). */
  step(batch: HostBatch): Promise<number>;
  /** Each replica's variables, in variable order: they are identical when all is well. */
  weights(): Promise<Float32Array[][]>;
  close(): Promise<void>;
}

export async function startDataParallel<Config>(opts: DataParallelOptions<Config>): Promise<DataParallel> {
  const trainer = opts.trainer instanceof URL ? opts.trainer.href : new URL(opts.trainer, `file://${process.cwd()}/`).href;
  const requested = opts.workers ?? 2;
  if (!Number.isInteger(requested) || requested < 1) throw new Error(`workers must be a positive integer, got ${requested}`);
  const compute = opts.compute ?? trainingCompute().options;
  const gpu = compute.backend === 'webgpu';
  const world = gpu ? 1 : requested;
  return world === 1 && !gpu ? inProcess(trainer, { ...opts, compute }) : threaded(trainer, world, { ...opts, compute });
}

async function inProcess<Config>(trainer: string, opts: DataParallelOptions<Config>): Promise<DataParallel> {
  const info = await initCompute(opts.compute);
  const { build } = (await import(trainer)) as { build: BuildTrainer<Config> };
  const replica = new Replica(await build(opts.config, { rank: 0, world: 1 }));
  return {
    world: 1,
    computeId: info.id,
    step: async (batch) => replica.step(batch),
    weights: async () => [await replica.weights()],
    close: async () => {},
  };
}

/** One worker with one request in flight at a time. */
class Peer {
  private pending?: { resolve: (r: WorkerReply) => void; reject: (e: Error) => void };
  private failure?: Error;
  readonly ready: Promise<WorkerReply>;

  constructor(readonly worker: Worker) {
    this.ready = new Promise((resolve, reject) => (this.pending = { resolve, reject }));
    // Several workers can fail at once; Promise.all reports the first, the others must not go unhandled.
    this.ready.catch(() => {});
    worker.on('message', (reply: WorkerReply) => {
      const pending = this.pending;
      this.pending = undefined;
      if (reply.type === 'error') this.fail(new Error(`data-parallel worker failed: ${reply.message}`), pending);
      else pending?.resolve(reply);
    });
    worker.on('error', (error) => this.fail(error, this.pending));
    worker.on('exit', (code) => this.fail(new Error(`data-parallel worker exited (code ${code})`), this.pending));
  }

  private fail(error: Error, pending = this.pending): void {
    this.failure ??= error;
    this.pending = undefined;
    pending?.reject(error);
  }

  request(msg: WorkerRequest): Promise<WorkerReply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(msg);
    });
  }
}

const WORKER_ENTRY = new URL('./dp-worker.ts', import.meta.url);

async function threaded<Config>(trainer: string, world: number, opts: DataParallelOptions<Config>): Promise<DataParallel> {
  // The BLAS environment must be in the real process environment before any worker loads the addon.
  prepareBlasEnv();
  const compute = opts.compute ?? {};
  const peers = Array.from({ length: world }, (_, rank) => new Peer(startTsWorker(WORKER_ENTRY, {
    workerData: { trainer, config: opts.config, compute, rank, world } satisfies WorkerData,
  })));
  const close = async () => {
    await Promise.all(peers.map((p) => p.worker.terminate()));
  };
  try {
    const ready = (await Promise.all(peers.map((p) => p.ready))) as Array<Extract<WorkerReply, { type: 'ready' }>>;
    const nParams = ready[0]!.nParams;
    if (ready.some((r) => r.nParams !== nParams || r.computeId !== ready[0]!.computeId)) {
      throw new Error(`replicas disagree: ${ready.map((r) => `${r.nParams} params on ${r.computeId}`).join(' vs ')}`);
    }
    if (world > 1) {
      const sab = new SharedArrayBuffer(GradExchange.bytes(world, nParams));
      for (const p of peers) p.worker.postMessage({ type: 'attach', sab } satisfies WorkerRequest);
    }
    return {
      world,
      computeId: ready[0]!.computeId,
      async step(batch) {
        const replies = await Promise.all(peers.map((p, rank) => p.request({ type: 'step', batch: shardOf(batch, rank, world) })));
        return replies.reduce((sum, r) => sum + (r as Extract<WorkerReply, { type: 'stepped' }>).loss, 0) / world;
      },
      async weights() {
        const replies = await Promise.all(peers.map((p) => p.request({ type: 'weights' })));
        return replies.map((r) => (r as Extract<WorkerReply, { type: 'weights' }>).weights);
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
