// Loads TypeScript through tsx. pipeline.ts normally comes from its compiled bundle (pipeline-bundle.ts); when it
// cannot be bundled it is loaded here, in this thread through tsx's CommonJS hook (no loader thread to start). Stage
// bodies that import more TypeScript at run time get tsx's ESM hooks on demand (`ensureTsxEsm`).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
let tsxRequire: ((id: string, from: string) => unknown) | undefined;
let esmRegistered = false;

export function loadTypeScript<T>(path: string): T {
  tsxRequire ??= (require('tsx/cjs/api') as { require: (id: string, from: string) => unknown }).require;
  return tsxRequire(path, import.meta.url) as T;
}

/** Registers tsx's ESM hooks once (its ESM build: the CommonJS build's register() cannot load its own hooks here). */
export async function ensureTsxEsm(): Promise<void> {
  if (esmRegistered) return;
  esmRegistered = true;
  const { register } = (await import('tsx/esm/api')) as { register: () => void };
  register();
}

/** file: URL of tsx's ESM loader, for `--import` in child processes (resolved when one starts, not on every command). */
export const tsxLoader = (): string => pathToFileURL(require.resolve('tsx')).href;
