// The optional peer dependencies: the queue (bullmq, ioredis), the SFTP remote (ssh2), charts and report pictures
// (vega, vega-lite, sharp, dejavu-fonts-ttf), notebook tables (arquero). The core engine installs without them; each
// is loaded where a feature uses it, and a missing one is an error that names the package and the feature.
import { createRequire } from 'node:module';
import { UserError } from './errors.ts';

/** Awaits `load` (an `import('name')` written out, so its types stay), turning "not installed" into a UserError. */
export async function optionalPeer<T>(name: string, feature: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw notInstalled(error, name, feature) ?? error;
  }
}

/** `require.resolve` of a file in an optional package (e.g. `dejavu-fonts-ttf/package.json`). */
export function resolvePeerFile(name: string, file: string, feature: string): string {
  try {
    return createRequire(import.meta.url).resolve(`${name}/${file}`);
  } catch (error) {
    throw notInstalled(error, name, feature) ?? error;
  }
}

/** Loads an optional package synchronously (Node's require of an ES module, for APIs that are not async). */
export function requirePeer<T>(name: string, feature: string): T {
  try {
    return createRequire(import.meta.url)(name) as T;
  } catch (error) {
    throw notInstalled(error, name, feature) ?? error;
  }
}

/** A UserError when `error` says that `name` itself (not something it imports) cannot be found. */
function notInstalled(error: unknown, name: string, feature: string): UserError | undefined {
  const { code, message } = error as { code?: string; message?: string };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return undefined;
  const quoted = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  if (!new RegExp(`'${quoted}(/[^']*)?'`).test(message ?? '')) return undefined;
  return new UserError(`${feature} needs the package ${name}, an optional peer dependency of @vthinker/engine: npm install ${name}`);
}
