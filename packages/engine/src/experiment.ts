// Experiments: a profile with a few params overridden on the command line (`run --set rl1.lr=0.002`), run in the
// same store, so every stage whose declared params did not change is shared with the profile (same key). Each has
// a name (`--name`, or a short hash of its overrides) and a lock beside the profiles': lockfiles/exp/<name>.lock.yaml,
// which records the profile and the overrides, so `run --name NAME` repeats it and `exp show` compares it.
import { UserError } from './errors.ts';
import { canonicalJson, sha256 } from './hash.ts';
import { lockNames } from './inspect.ts';
import { readLockfile, type ExperimentRecord } from './lockfile.ts';
import { msg } from './messages.ts';
import { closest, lookupParam, type ParamTree, type ParamValue } from './params.ts';
import { yaml } from './yaml-file.ts';

export interface Experiment extends ExperimentRecord {
  name: string;
}

/** The lock name of an experiment: where its lock file and workspace live. */
export const experimentLock = (name: string): string => `exp/${name}`;

const NAME = /^[\w@.-]+$/;
const isTree = (v: unknown): v is ParamTree => !!v && typeof v === 'object' && !Array.isArray(v);

/** `KEY=VALUE` arguments as dotted key -> value, each value parsed as YAML (`3`, `true`, `[1, 2]`, `{a: 1}`, `text`). */
export function parseSets(args: readonly string[]): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new UserError(msg.badSet(arg));
    let value: ParamValue;
    try {
      value = yaml().parse(arg.slice(eq + 1)) as ParamValue;
    } catch (error) {
      throw new UserError(msg.badSetValue(arg, (error as Error).message.split('\n')[0]!));
    }
    out[arg.slice(0, eq).trim()] = value ?? null;
  }
  return out;
}

/**
 * `params` with the overrides applied. Like a profile, an override may only set a param that exists, with the
 * same shape (a mapping for a mapping, a value for a value): a typo must not silently create a new one.
 */
export function applySets(params: ParamTree, set: Record<string, ParamValue>): ParamTree {
  const out = structuredClone(params);
  for (const [key, value] of Object.entries(set)) {
    const parts = key.split('.');
    const parent = parts.slice(0, -1).join('.');
    const node = parent ? lookupParam(out, parent) : out;
    const leaf = parts[parts.length - 1]!;
    if (!isTree(node) || !(leaf in node)) {
      const siblings = isTree(node) ? Object.keys(node) : [];
      const close = closest(leaf, siblings).map((n) => (parent ? `${parent}.${n}` : n));
      throw new UserError(msg.setUnknownParam(key, close, parent, siblings));
    }
    if (isTree(node[leaf]) !== isTree(value)) throw new UserError(msg.setWrongShape(key, isTree(node[leaf]) ? 'mapping' : 'value'));
    node[leaf] = value;
  }
  return out;
}

/** A name from the overrides themselves, so the same `--set` twice is the same experiment. */
export const defaultExperimentName = (profile: string, set: Record<string, ParamValue>): string =>
  `exp-${sha256(canonicalJson({ profile, set })).slice(0, 7)}`;

export function checkExperimentName(name: string): string {
  if (!NAME.test(name)) throw new UserError(msg.badExperimentName(name));
  return name;
}

/** The experiment recorded under `name`, if its lock exists. */
export function readExperiment(root: string, name: string): Experiment | undefined {
  const record = readLockfile(root, experimentLock(checkExperimentName(name))).experiment;
  return record && { name, ...record };
}

/** Every recorded experiment, by name. */
export function listExperiments(root: string): Experiment[] {
  return lockNames(root).flatMap((lock) => (lock.startsWith('exp/') ? (readExperiment(root, lock.slice(4)) ?? []) : []));
}

/**
 * The experiment a command asks for: `--set` overrides (with `--name`, or named by their hash), or `--name` alone
 * for one recorded before (repeated with its recorded overrides). Undefined when neither is given.
 */
export function resolveExperiment(
  root: string,
  o: { profile: string | undefined; defaultProfile: string; name?: string | undefined; set?: readonly string[] | undefined },
): Experiment | undefined {
  const sets = o.set?.length ? parseSets(o.set) : undefined;
  if (!sets) {
    if (!o.name) return undefined;
    const known = readExperiment(root, o.name);
    if (!known) throw new UserError(msg.unknownExperiment(o.name, listExperiments(root).map((e) => e.name)));
    return o.profile && o.profile !== known.profile ? { ...known, profile: o.profile } : known;
  }
  const profile = o.profile ?? o.defaultProfile;
  return { name: checkExperimentName(o.name ?? defaultExperimentName(profile, sets)), profile, set: sets };
}
