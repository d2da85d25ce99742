// Builds a stage's key pre-image from the project, and says in words how two pre-images differ (explain).
import { fileURLToPath } from 'node:url';
import { CodeHasher, type CodeFingerprint } from './code-hash.ts';
import { dataDigests } from './data-inputs.ts';
import { isCommandStage, isDataInput, type StageDef } from './define.ts';
import { UserError } from './errors.ts';
import { canonicalJson } from './hash.ts';
import { baseRuntime, KEY_SCHEMA, type KeyPreimage } from './key.ts';
import { msg } from './messages.ts';
import { lookupParam, nearest, type ParamTree, type ParamValue } from './params.ts';
import type { Project } from './project.ts';

/** Everything in a pre-image except the upstream digests, computed once per stage per process. */
export type StaticPreimage = Omit<KeyPreimage, 'inputs'>;

export class PreimageBuilder {
  private readonly hasher: CodeHasher;
  private readonly memo = new Map<string, StaticPreimage>();
  /** Runtime facts per function: stages often share one (e.g. the compute stack), and it is deterministic. */
  private readonly runtimes = new Map<() => Record<string, string>, Record<string, string>>();

  constructor(private readonly project: Project, private readonly params: ParamTree) {
    this.hasher = new CodeHasher(project.root, project.statCache);
  }

  static(stage: StageDef): StaticPreimage {
    const known = this.memo.get(stage.name);
    if (known) return known;
    const code: CodeFingerprint = isCommandStage(stage)
      ? { files: this.hasher.hashFiles(stage.deps ?? []), packages: {} }
      : this.hasher.fingerprint([fileURLToPath(stage.module)]);
    const data = dataDigests(this.project.root, stage, this.project.statCache);
    const built: StaticPreimage = {
      schema: KEY_SCHEMA,
      stage: stage.name,
      definition: {
        outputs: Object.fromEntries(Object.entries(stage.outputs).map(([k, o]) => [k, `${o.kind}:${o.path}`])),
        inputs: Object.fromEntries(Object.entries(stage.inputs ?? {}).map(([k, r]) => [k, isDataInput(r) ? `${r.kind}:${r.path}` : `${r.stage}.${r.output}`])),
        checkpoint: !!stage.checkpoint,
        ...(isCommandStage(stage) ? { command: stage.command } : {}),
      },
      code: code.files,
      packages: code.packages,
      params: this.declaredParams(stage),
      runtime: { ...baseRuntime(), ...(stage.runtime ? this.runtime(stage.runtime) : {}) },
      env: Object.fromEntries((stage.env ?? []).map((name) => [name, process.env[name] ?? null])),
      ...(data ? { data } : {}),
    };
    this.memo.set(stage.name, built);
    return built;
  }

  full(stage: StageDef, inputs: Record<string, string>): KeyPreimage {
    return { ...this.static(stage), inputs };
  }

  private runtime(facts: () => Record<string, string>): Record<string, string> {
    if (!this.runtimes.has(facts)) this.runtimes.set(facts, facts());
    return this.runtimes.get(facts)!;
  }

  private declaredParams(stage: StageDef): Record<string, ParamValue> {
    const out: Record<string, ParamValue> = {};
    for (const key of stage.params ?? []) {
      const value = lookupParam(this.params, key);
      if (value === undefined) {
        const parent = key.includes('.') ? key.slice(0, key.lastIndexOf('.')) : '';
        const siblings = parent ? Object.keys((lookupParam(this.params, parent) as ParamTree | undefined) ?? {}) : Object.keys(this.params);
        const guess = nearest(key.slice(key.lastIndexOf('.') + 1), siblings);
        throw new UserError(msg.paramNotFound(stage.name, key, guess && (parent ? `${parent}.${guess}` : guess)));
      }
      out[key] = value;
    }
    return out;
  }
}

const show = (v: unknown): string => (v === undefined ? '(unset)' : typeof v === 'string' ? v : canonicalJson(v));

/** Human reasons why `next` differs from `prev`, most specific first. */
export function explainDiff(prev: KeyPreimage, next: KeyPreimage, inputStages: Record<string, string>): string[] {
  const reasons: string[] = [];
  const defBefore = canonicalJson(prev.definition);
  if (defBefore !== canonicalJson(next.definition)) reasons.push(msg.reasonDefinition(describeDefinition(prev, next)));
  for (const key of union(prev.params, next.params)) {
    if (canonicalJson(prev.params[key]) !== canonicalJson(next.params[key])) reasons.push(msg.reasonParam(key, show(prev.params[key]), show(next.params[key])));
  }
  for (const file of union(prev.code, next.code)) {
    if (!(file in prev.code)) reasons.push(msg.reasonCodeAdded(file));
    else if (!(file in next.code)) reasons.push(msg.reasonCodeRemoved(file));
    else if (prev.code[file] !== next.code[file]) reasons.push(msg.reasonCodeChanged(file));
  }
  for (const name of union(prev.packages, next.packages)) {
    if (prev.packages[name] !== next.packages[name]) reasons.push(msg.reasonPackage(name, show(prev.packages[name]), show(next.packages[name])));
  }
  for (const input of union(prev.inputs, next.inputs)) {
    if (prev.inputs[input] !== next.inputs[input]) reasons.push(msg.reasonUpstream(input, inputStages[input] ?? input));
  }
  const [dataBefore, dataNow] = [prev.data ?? {}, next.data ?? {}];
  for (const path of union(dataBefore, dataNow)) {
    if (!(path in dataBefore)) reasons.push(msg.reasonDataAdded(path));
    else if (!(path in dataNow)) reasons.push(msg.reasonDataRemoved(path));
    else if (dataBefore[path] !== dataNow[path]) reasons.push(msg.reasonData(path));
  }
  for (const fact of union(prev.runtime, next.runtime)) {
    if (prev.runtime[fact] !== next.runtime[fact]) reasons.push(msg.reasonRuntime(fact, show(prev.runtime[fact]), show(next.runtime[fact])));
  }
  for (const name of union(prev.env, next.env)) {
    if (prev.env[name] !== next.env[name]) reasons.push(msg.reasonEnv(name));
  }
  if (!reasons.length && prev.schema !== next.schema) reasons.push(msg.reasonKeyOnly());
  return reasons;
}

function describeDefinition(prev: KeyPreimage, next: KeyPreimage): string {
  const parts: string[] = [];
  for (const field of ['outputs', 'inputs', 'checkpoint', 'command'] as const) {
    if (canonicalJson(prev.definition[field]) !== canonicalJson(next.definition[field])) parts.push(field);
  }
  return parts.join(', ');
}

function union(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])].sort();
}
