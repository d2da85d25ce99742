// Worker threads whose entry is a TypeScript module. On Node 20 a worker does not inherit the tsx loader (a `.ts`
// entry fails with ERR_UNKNOWN_FILE_EXTENSION), so a tiny evaluated bootstrap registers tsx first, then imports it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * The ESM build of tsx's API, read from its package exports: `import.meta.resolve` is unavailable when this file is
 * loaded through tsx's CommonJS hook, and `require.resolve` would pick the CommonJS build.
 */
function tsxEsmApi(): string {
  const pkgFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(pkgFile), pkg.exports['./esm/api']!.import.default)).href;
}
const TSX_API = tsxEsmApi();

export function startTsWorker(entry: string | URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const boot = `import(${JSON.stringify(TSX_API)}).then(({ register }) => { register(); return import(${JSON.stringify(String(entry))}); })`;
  return new Worker(boot, { ...options, eval: true });
}

/**
 * Runs `task` of a worker module over contiguous chunks of `items` in `workers` threads and concatenates the
 * results in chunk order, so the output does not depend on the number of workers. The module must call
 * `serveChunks(task)` (below) at top level. With one worker it runs in this thread.
 */
export async function mapChunks<I, O>(entry: string | URL, items: readonly I[], workers: number, local: (chunk: I[]) => O | Promise<O>): Promise<O[]> {
  const n = Math.max(1, Math.min(workers, items.length));
  const size = Math.ceil(items.length / n);
  const chunks = Array.from({ length: n }, (_, i) => items.slice(i * size, (i + 1) * size));
  if (n === 1) return [await local(chunks[0] ?? [])];
  return Promise.all(
    chunks.map(
      (chunk) =>
        new Promise<O>((resolve, reject) => {
          const worker = startTsWorker(entry, { workerData: { chunk, entry: String(entry) } });
          worker.once('message', (m: { ok: true; value: O } | { ok: false; error: string }) => {
            void worker.terminate();
            if (m.ok) resolve(m.value);
            else reject(new Error(m.error));
          });
          worker.once('error', reject);
        }),
    ),
  );
}

/**
 * The worker side of `mapChunks`: answers the one chunk it was started with. `self` is the calling module's
 * `import.meta.url`: only the worker's entry module answers, not every module it imports that also serves chunks.
 */
export async function serveChunks<I, O>(self: string, task: (chunk: I[]) => O | Promise<O>): Promise<void> {
  const { parentPort, workerData, isMainThread } = await import('node:worker_threads');
  if (isMainThread || !parentPort || (workerData as { entry?: string }).entry !== self) return;
  try {
    parentPort.postMessage({ ok: true, value: await task((workerData as { chunk: I[] }).chunk) });
  } catch (error) {
    parentPort.postMessage({ ok: false, error: (error as Error).stack ?? String(error) });
  }
}
