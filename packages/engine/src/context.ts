// What a stage's run function sees: its declared params, input paths, output paths, a checkpoint folder, and ways
// to report progress and metrics. Reading an undeclared param is an error, so the key can never miss a dependency.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from './errors.ts';
import { msg } from './messages.ts';
import { lookupParam, type ParamTree, type ParamValue } from './params.ts';

/** The serialisable part of a context, sent to a child process or a remote worker. */
export interface ContextSpec {
  root: string;
  stage: string;
  profile: string;
  key: string;
  /** Declared dotted key -> value. */
  params: Record<string, ParamValue>;
  inputs: Record<string, string>;
  outputs: Record<string, string>;
  checkpointDir?: string;
  /** CPU cores the scheduler granted (the stage's request, clamped to the pool): how many workers to start. */
  cpus: number;
}

export interface StageContext {
  readonly root: string;
  readonly stage: string;
  readonly profile: string;
  readonly key: string;
  /** The declared params, by dotted key. */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** A declared param (or a value inside a declared subtree). */
  param<T = ParamValue>(key: string): T;
  /** Path of an input (read-only). */
  input(name: string): string;
  /** Path to write an output to (its parent folder exists). */
  output(name: string): string;
  /** Writes a JSON output with stable formatting. */
  writeJson(name: string, value: unknown): void;
  /** A folder that survives interruptions of this key (only when the stage declares `checkpoint: true`). */
  readonly checkpointDir: string | undefined;
  /** CPU cores granted to this run; results must not depend on it (it is not in the key). */
  readonly cpus: number;
  progress(done: number, total: number, note?: string): void;
  metric(name: string, value: number | string | boolean): void;
  log(...parts: unknown[]): void;
}

export interface ContextEffects {
  progress(done: number, total: number, note?: string): void;
  metric(name: string, value: number | string | boolean): void;
  log(line: string): void;
}

export function makeContext(spec: ContextSpec, effects: ContextEffects): StageContext {
  const tree: ParamTree = {};
  for (const [k, v] of Object.entries(spec.params)) setDotted(tree, k, v);
  const declared = Object.keys(spec.params);
  return {
    root: spec.root,
    stage: spec.stage,
    profile: spec.profile,
    key: spec.key,
    params: spec.params,
    checkpointDir: spec.checkpointDir,
    cpus: spec.cpus,
    param<T>(key: string): T {
      if (!declared.some((d) => key === d || key.startsWith(`${d}.`))) throw new UserError(msg.undeclaredParamRead(spec.stage, key));
      return lookupParam(tree, key) as T;
    },
    input(name) {
      const path = spec.inputs[name];
      if (path === undefined) throw new UserError(`stage ${spec.stage} has no input ${name}; declared: ${Object.keys(spec.inputs).join(', ') || '(none)'}`);
      return path;
    },
    output(name) {
      const path = spec.outputs[name];
      if (path === undefined) throw new UserError(`stage ${spec.stage} has no output ${name}; declared: ${Object.keys(spec.outputs).join(', ')}`);
      mkdirSync(dirname(path), { recursive: true });
      return path;
    },
    writeJson(name, value) {
      writeFileSync(this.output(name), `${JSON.stringify(value, null, 2)}\n`);
    },
    progress: (done, total, note) => effects.progress(done, total, note),
    metric: (name, value) => effects.metric(name, value),
    log: (...parts) => effects.log(parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ')),
  };
}

function setDotted(tree: ParamTree, dotted: string, value: ParamValue): void {
  const parts = dotted.split('.');
  let node = tree;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (!next || typeof next !== 'object' || Array.isArray(next)) node[part] = {};
    node = node[part] as ParamTree;
  }
  node[parts[parts.length - 1]!] = value;
}
