// params.yaml: defaults plus named profiles that overlay them. Every stage reads only the params it declares.
import { existsSync } from 'node:fs';
import { UserError } from './errors.ts';
import { msg } from './messages.ts';
import { readYamlFile, yaml, type YamlCache } from './yaml-file.ts';

export type ParamValue = null | boolean | number | string | ParamValue[] | { [key: string]: ParamValue };
export type ParamTree = { [key: string]: ParamValue };

export interface ParamsFile {
  defaultProfile: string;
  defaults: ParamTree;
  profiles: Record<string, ParamTree>;
}

const isTree = (v: unknown): v is ParamTree => !!v && typeof v === 'object' && !Array.isArray(v);

export function parseParamsFile(text: string, where: string): ParamsFile {
  return paramsOf(parsed(() => yaml().parse(text), where), where);
}

/** params.yaml; with a stat cache, an unchanged file is not parsed again (see yaml-file.ts). */
export function loadParamsFile(path: string, cache?: YamlCache): ParamsFile {
  if (!existsSync(path)) throw new UserError(msg.paramsMissing(path));
  return paramsOf(parsed(() => readYamlFile(path, cache), path), path);
}

function parsed(parse: () => unknown, where: string): unknown {
  try {
    return parse();
  } catch (error) {
    throw new UserError(msg.paramsYamlSyntax(where, (error as Error).message));
  }
}

function paramsOf(doc: unknown, where: string): ParamsFile {
  if (!isTree(doc)) throw new UserError(msg.paramsShape(where, 'the file must be a mapping with `params:` and `profiles:`'));
  const unknown = Object.keys(doc).filter((k) => !['default_profile', 'params', 'profiles'].includes(k));
  if (unknown.length) throw new UserError(msg.paramsShape(where, `unknown top-level key(s) ${unknown.join(', ')}; allowed: default_profile, params, profiles`));
  const defaults = doc.params ?? {};
  if (!isTree(defaults)) throw new UserError(msg.paramsShape(where, '`params:` must be a mapping of parameter names to values'));
  const profiles = doc.profiles ?? {};
  if (!isTree(profiles)) throw new UserError(msg.paramsShape(where, '`profiles:` must be a mapping of profile names to overlays'));
  for (const [name, overlay] of Object.entries(profiles)) {
    if (overlay !== null && !isTree(overlay)) throw new UserError(msg.paramsShape(where, `profile ${name} must be a mapping (or empty)`));
    checkOverlay(defaults, (overlay ?? {}) as ParamTree, name, '', where);
  }
  const defaultProfile = doc.default_profile ?? Object.keys(profiles)[0] ?? 'default';
  if (typeof defaultProfile !== 'string') throw new UserError(msg.paramsShape(where, '`default_profile:` must be a profile name'));
  if (Object.keys(profiles).length && !(defaultProfile in profiles)) {
    throw new UserError(msg.unknownProfile(defaultProfile, Object.keys(profiles)));
  }
  return { defaultProfile, defaults, profiles: Object.fromEntries(Object.entries(profiles).map(([k, v]) => [k, (v ?? {}) as ParamTree])) };
}

/** A profile may only set parameters that exist in the defaults: a typo must not silently create a new one. */
function checkOverlay(defaults: ParamTree, overlay: ParamTree, profile: string, prefix: string, where: string): void {
  for (const [key, value] of Object.entries(overlay)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (!(key in defaults)) {
      throw new UserError(msg.profileUnknownParam(where, profile, path, nearest(key, Object.keys(defaults))));
    }
    const base = defaults[key];
    if (isTree(base) && isTree(value)) checkOverlay(base, value, profile, path, where);
    else if (isTree(base) !== isTree(value)) {
      throw new UserError(msg.paramsShape(where, `profile ${profile} sets ${path} to a ${isTree(value) ? 'mapping' : 'value'} but the default is a ${isTree(base) ? 'mapping' : 'value'}`));
    }
  }
}

/** The params of one profile: defaults deep-merged with the profile's overlay (arrays and scalars replace). */
export function resolveProfile(file: ParamsFile, profile?: string): { profile: string; params: ParamTree } {
  const name = profile ?? file.defaultProfile;
  const names = Object.keys(file.profiles);
  if (names.length && !(name in file.profiles)) throw new UserError(msg.unknownProfile(name, names));
  return { profile: name, params: merge(file.defaults, file.profiles[name] ?? {}) };
}

function merge(base: ParamTree, overlay: ParamTree): ParamTree {
  const out: ParamTree = { ...base };
  for (const [k, v] of Object.entries(overlay)) {
    const b = base[k];
    out[k] = isTree(b) && isTree(v) ? merge(b, v) : v;
  }
  return out;
}

export function lookupParam(params: ParamTree, dotted: string): ParamValue | undefined {
  let node: ParamValue | undefined = params;
  for (const part of dotted.split('.')) {
    if (!isTree(node) || !(part in node)) return undefined;
    node = node[part];
  }
  return node;
}

/** The closest of `candidates` to `word` by edit distance, for "did you mean" hints. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  return closest(word, candidates, 1)[0];
}

/** Up to `limit` of `candidates` close enough to `word` to be what was meant, closest first. */
export function closest(word: string, candidates: readonly string[], limit = 5): string[] {
  const within = Math.max(2, Math.floor(word.length / 3));
  return candidates
    .map((c) => ({ c, d: editDistance(word, c) }))
    .filter((x) => x.d <= within)
    .sort((a, b) => a.d - b.d)
    .slice(0, limit)
    .map((x) => x.c);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
