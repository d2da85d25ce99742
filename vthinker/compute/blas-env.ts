// OpenBLAS reads OPENBLAS_CORETYPE and OPENBLAS_NUM_THREADS once, when the library is loaded (dlopen of the addon).
// Setting process.env on the main thread before that works (Node calls setenv); in a worker thread process.env is a
// private copy, so the main thread must call prepareBlasEnv() before it starts workers (data-parallel.ts does).
import { readFileSync } from 'node:fs';

/** The OpenBLAS core to force from the CPU flags: SKYLAKEX with AVX-512, HASWELL with AVX2, else OpenBLAS's own pick. */
export function blasCoreType(cpuinfo = readCpuinfo()): string | undefined {
  const flags = new Set(/^flags\s*:(.*)$/m.exec(cpuinfo)?.[1]?.trim().split(/\s+/) ?? []);
  if (flags.has('avx512f')) return 'SKYLAKEX';
  if (flags.has('avx2')) return 'HASWELL';
  return undefined;
}

function readCpuinfo(): string {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return '';
  }
}

/** Sets the BLAS environment unless the user already did: one BLAS thread per process, the core chosen from the flags. */
export function prepareBlasEnv(): void {
  process.env.OPENBLAS_NUM_THREADS ??= '1';
  const core = process.env.OPENBLAS_CORETYPE ?? blasCoreType();
  if (core) process.env.OPENBLAS_CORETYPE = core;
}
