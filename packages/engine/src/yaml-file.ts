// The YAML files every command reads: params.yaml and the lock files. Loading the yaml package and parsing a lock file
// took longer than the rest of a no-op run, so the package loads only when a file must be parsed or written, and with
// a stat cache an unchanged file's document comes from the cache (as JSON, when JSON holds it exactly).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { StatCache } from './stat-cache.ts';

type Yaml = typeof import('yaml');
let loaded: Yaml | undefined;

export const yaml = (): Yaml => (loaded ??= createRequire(import.meta.url)('yaml') as Yaml);

/** Where a file's parsed document is kept: a stat cache, under the file's project-relative name. */
export interface YamlCache {
  statCache: StatCache;
  key: string;
}

/** The document in the YAML file at `path`; throws what reading or parsing throws. */
export function readYamlFile(path: string, cache?: YamlCache): unknown {
  const parse = (): unknown => yaml().parse(readFileSync(path, 'utf8'));
  if (!cache) return parse();
  let parsed: { doc: unknown } | undefined;
  const json = cache.statCache.getPath('yaml', cache.key, path, () => {
    parsed = { doc: parse() };
    // '' = not kept: JSON has no .inf, .nan or -0, and a param must read back as it was written.
    return exactInJson(parsed.doc) ? JSON.stringify(parsed.doc) : '';
  });
  if (parsed) return parsed.doc;
  return json ? JSON.parse(json) : parse();
}

function exactInJson(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(exactInJson);
  if (value && typeof value === 'object') return Object.values(value).every(exactInJson);
  return true;
}
