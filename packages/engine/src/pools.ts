// Resource pools for the scheduler: a stage starts only when its CPU, GPU and memory requests fit.
import { cpus, totalmem } from 'node:os';
import type { Resources } from './define.ts';

export interface PoolSizes {
  cpu: number;
  gpu: number;
  memoryMb: number;
  /** Most stages at once (`--jobs`). */
  jobs: number;
}

export const defaultPools = (): PoolSizes => {
  const cores = cpus().length;
  return { cpu: cores, gpu: Number(process.env.VTHINKER_GPUS ?? 0), memoryMb: Math.floor(totalmem() / 2 ** 20), jobs: cores };
};

export interface Grant {
  cpu: number;
  gpu: number;
  memoryMb: number;
}

export class Pools {
  private used: Grant & { jobs: number } = { cpu: 0, gpu: 0, memoryMb: 0, jobs: 0 };

  constructor(readonly size: PoolSizes) {}

  /** Requests above a pool's size are clamped to it, so a big stage runs alone instead of never. */
  private want(r: Resources | undefined): Grant {
    const gpu = r?.gpu === 'optional' ? Math.min(1, this.size.gpu - this.used.gpu) : (r?.gpu ?? 0);
    return {
      cpu: Math.min(Math.max(r?.cpu ?? 1, 0), this.size.cpu),
      gpu: Math.max(gpu, 0),
      memoryMb: Math.min(r?.memoryMb ?? 0, this.size.memoryMb),
    };
  }

  /** GPUs the stage needs that this machine will never have. */
  impossible(r: Resources | undefined): number | undefined {
    return typeof r?.gpu === 'number' && r.gpu > this.size.gpu ? r.gpu : undefined;
  }

  tryTake(r: Resources | undefined): Grant | undefined {
    const g = this.want(r);
    const u = this.used;
    if (u.jobs + 1 > this.size.jobs) return undefined;
    const idle = u.jobs === 0;
    if (!idle && (u.cpu + g.cpu > this.size.cpu || u.gpu + g.gpu > this.size.gpu || u.memoryMb + g.memoryMb > this.size.memoryMb)) return undefined;
    if (idle && g.gpu > this.size.gpu) return undefined;
    this.used = { cpu: u.cpu + g.cpu, gpu: u.gpu + g.gpu, memoryMb: u.memoryMb + g.memoryMb, jobs: u.jobs + 1 };
    return g;
  }

  give(g: Grant): void {
    const u = this.used;
    this.used = { cpu: u.cpu - g.cpu, gpu: u.gpu - g.gpu, memoryMb: u.memoryMb - g.memoryMb, jobs: u.jobs - 1 };
  }
}
