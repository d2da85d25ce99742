// Messages between data-parallel.ts (main thread) and dp-worker.ts.
import type { ComputeOptions } from './options.ts';
import type { HostBatch } from './trainer.ts';

export interface WorkerData {
  trainer: string;
  config: unknown;
  compute: ComputeOptions;
  rank: number;
  world: number;
}

export type WorkerRequest =
  | { type: 'attach'; sab: SharedArrayBuffer }
  | { type: 'step'; batch: HostBatch }
  | { type: 'weights' };

export type WorkerReply =
  | { type: 'ready'; nParams: number; computeId: string }
  | { type: 'stepped'; loss: number }
  | { type: 'weights'; weights: Float32Array[] }
  | { type: 'error'; message: string };
