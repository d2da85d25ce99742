// A data-parallel worker thread: one replica, driven by data-parallel.ts over postMessage.
import { parentPort, workerData } from 'node:worker_threads';
import { GradExchange } from './grad-exchange.ts';
import { Replica } from './replica.ts';
import { initCompute } from './setup.ts';
import type { BuildTrainer, HostBatch } from './trainer.ts';
import type { WorkerData, WorkerReply, WorkerRequest } from './dp-protocol.ts';

const { trainer, config, compute, rank, world } = workerData as WorkerData;
const port = parentPort!;

async function start(): Promise<Replica> {
  const info = await initCompute(compute);
  const mod = (await import(trainer)) as { build?: BuildTrainer<unknown> };
  if (typeof mod.build !== 'function') throw new Error(`trainer module ${trainer} has no exported build(config, ctx)`);
  const replica = new Replica(await mod.build(config, { rank, world }));
  port.postMessage({ type: 'ready', nParams: replica.nParams, computeId: info.id } satisfies WorkerReply);
  return replica;
}

const ready = start();
ready.catch((error: unknown) => port.postMessage({ type: 'error', message: String((error as Error)?.stack ?? error) } satisfies WorkerReply));

port.on('message', async (msg: WorkerRequest) => {
  try {
    const replica = await ready;
    if (msg.type === 'attach') replica.attach(new GradExchange(msg.sab, rank, world, replica.nParams));
    if (msg.type === 'step') port.postMessage({ type: 'stepped', loss: await replica.step(msg.batch as HostBatch) } satisfies WorkerReply);
    if (msg.type === 'weights') port.postMessage({ type: 'weights', weights: await replica.weights() } satisfies WorkerReply);
  } catch (error) {
    port.postMessage({ type: 'error', message: String((error as Error)?.stack ?? error) } satisfies WorkerReply);
  }
});
