// The checker-repairer over several threads: samples are checked independently, so contiguous chunks run in
// worker threads and are joined in order; the result is identical for any number of workers.
import { mapChunks, serveChunks } from '../util/ts-worker.ts';
import type { Sample } from '../synth/types.ts';
import { verifySamples, type VerifyOptions, type VerifyResult, type VerifyStats } from './repair.ts';

interface Job {
  samples: Sample[];
  opts: Omit<VerifyOptions, 'repairer' | 'check'>;
}

const run = (jobs: Job[]): VerifyResult => {
  const [job] = jobs;
  return verifySamples(job!.samples, job!.opts);
};

/** verifySamples over `workers` threads (options must be plain data: the default checker and repairer are used). */
export async function verifyParallel(samples: readonly Sample[], opts: Omit<VerifyOptions, 'repairer' | 'check'>, workers: number): Promise<VerifyResult> {
  const n = Math.max(1, Math.min(workers, Math.ceil(samples.length / 200)));
  const size = Math.ceil(samples.length / n);
  const jobs: Job[] = Array.from({ length: n }, (_, i) => ({ samples: samples.slice(i * size, (i + 1) * size), opts }));
  const parts = await mapChunks<Job, VerifyResult>(new URL(import.meta.url), jobs, n, run);
  return {
    accepted: parts.flatMap((p) => p.accepted),
    rejected: parts.flatMap((p) => p.rejected),
    stats: mergeStats(parts.map((p) => p.stats)),
  };
}

export function mergeStats(all: readonly VerifyStats[]): VerifyStats {
  const total = all.reduce((a, s) => a + s.total, 0);
  const sum = (f: (s: VerifyStats) => number) => all.reduce((a, s) => a + f(s), 0);
  const passRate = Object.fromEntries(
    (['qa', 'figure', 'overlay'] as const).map((axis) => [axis, total ? sum((s) => s.passRate[axis] * s.total) / total : 1]),
  ) as VerifyStats['passRate'];
  const rejectsByReason: Record<string, number> = {};
  for (const s of all) for (const [k, n] of Object.entries(s.rejectsByReason)) rejectsByReason[k] = (rejectsByReason[k] ?? 0) + n;
  return {
    total,
    accepted: sum((s) => s.accepted),
    rejected: sum((s) => s.rejected),
    passRate,
    repairs: sum((s) => s.repairs),
    repaired: sum((s) => s.repaired),
    rejectsByReason: Object.fromEntries(Object.entries(rejectsByReason).sort()),
  };
}

await serveChunks(import.meta.url, run);
