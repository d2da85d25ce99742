// The DSL: plain, serialisable stage declarations plus a run function (or an external command).
// A pipeline is a list of stages; inputs name upstream outputs or data in the project tree; params are dotted keys
// into params.yaml.
import type { StageContext } from './context.ts';

export type OutputKind = 'file' | 'dir' | 'json';

export interface OutputSpec {
  kind: OutputKind;
  /** File or directory name inside the stage's output folder. */
  path: string;
}

/** In `outputs`, a file the stage writes; in `inputs`, a data file of the project (a path from the project root). */
export const file = (path: string): OutputSpec => ({ kind: 'file', path });
/** In `outputs`, a directory the stage fills; in `inputs`, a data folder of the project. Hashed as a manifest. */
export const dir = (path: string): OutputSpec => ({ kind: 'dir', path });
/** A JSON file (the notebook API parses it). */
export const json = (path: string): OutputSpec => ({ kind: 'json', path });

/** A reference to another stage's output, e.g. `from('verify', 'samples')`. */
export interface InputRef {
  stage: string;
  output: string;
}
export const from = (stage: string, output: string): InputRef => ({ stage, output });

/**
 * What a stage reads: another stage's output (`from`), or a file or folder in the project tree (`file('data/x.csv')`,
 * `dir('data/raw')`), hashed through the stat cache so that editing it re-runs the stage and its dependants.
 */
export type StageInput = InputRef | OutputSpec;

export const isDataInput = (input: StageInput): input is OutputSpec => 'kind' in input;

/** The inputs that read upstream outputs, by name. */
export const upstreamInputs = (stage: { inputs?: Record<string, StageInput> }): Array<[string, InputRef]> =>
  Object.entries(stage.inputs ?? {}).filter((e): e is [string, InputRef] => !isDataInput(e[1]));

/** The inputs that read project data, by name. */
export const dataInputs = (stage: { inputs?: Record<string, StageInput> }): Array<[string, OutputSpec]> =>
  Object.entries(stage.inputs ?? {}).filter((e): e is [string, OutputSpec] => isDataInput(e[1]));

export interface Resources {
  /** CPU cores the stage keeps busy (scheduling weight; clamped to the pool size). */
  cpu?: number;
  /** GPUs the stage needs; 'optional' runs on a GPU when one is free and on the CPU otherwise. */
  gpu?: number | 'optional';
  /** Peak resident memory in MiB, for the memory pool. */
  memoryMb?: number;
  /**
   * A named worker pool for the queue executor (e.g. 'bigmem'): the stage goes to that queue instead of `cpu` or
   * `gpu`, and only workers started with `--queues NAME` take it. Not part of the key.
   */
  pool?: string;
}

interface StageBase {
  name: string;
  /** One-line summary shown by `dag` and `show`. */
  description?: string;
  inputs?: Record<string, StageInput>;
  /** Dotted keys into params.yaml; a key names a whole subtree when it points at a mapping. */
  params?: readonly string[];
  outputs: Record<string, OutputSpec>;
  resources?: Resources;
  /** When true the stage gets a checkpoint directory that survives interruptions of the same key. */
  checkpoint?: boolean;
  /** Environment variables whose values change results: they enter the key. */
  env?: readonly string[];
  /**
   * Extra runtime facts that change results (e.g. the compute backend); must be cheap and deterministic: a function
   * that several stages share is called once per run.
   */
  runtime?: () => Record<string, string>;
}

export interface FunctionStage extends StageBase {
  /** `import.meta.url` of the module declaring the stage: its code and transitive local imports enter the key. */
  module: string;
  run: (ctx: StageContext) => Promise<void> | void;
}

export interface CommandStage extends StageBase {
  /**
   * A shell command for tools outside Node. Placeholders: {out.NAME}, {in.NAME}, {param.KEY}, {checkpoint}.
   * The command string enters the key; so do the files in `deps`.
   */
  command: string;
  /** Files (relative to the project root) the command reads as code. */
  deps?: readonly string[];
}

export type StageDef = FunctionStage | CommandStage;

export const isCommandStage = (s: StageDef): s is CommandStage => 'command' in s;

export function stage<T extends StageDef>(def: T): T {
  return def;
}

/**
 * One stage per variant, named `name@variant` (as DVC's foreach): each variant has its own key.
 * The factory receives the variant and returns the stage without its name.
 */
export function matrix<V extends string>(
  name: string,
  variants: readonly V[],
  make: (variant: V) => Omit<FunctionStage, 'name'> | Omit<CommandStage, 'name'>,
): StageDef[] {
  return variants.map((variant) => ({ ...make(variant), name: `${name}@${variant}` }) as StageDef);
}

export interface PipelineDef {
  /** Shown in reports. */
  name: string;
  /** params.yaml, relative to the project root. */
  params?: string;
  stages: readonly StageDef[];
  /** Extra CLI commands the project adds (e.g. `infer`, `eval`). */
  commands?: Record<string, ProjectCommand>;
  /**
   * What a `vthinker worker` on this machine offers, as the project sees it (e.g. which compute backend loads,
   * how many GPUs): advertised in Redis and checked before a job runs. `gpus` is read as the GPU count.
   */
  workerFacts?: () => Record<string, string | number | boolean> | Promise<Record<string, string | number | boolean>>;
}

export interface ProjectCommand {
  summary: string;
  usage: string;
  run: (args: string[], env: { root: string; profile: string }) => Promise<number | void>;
}

export function pipeline(def: PipelineDef): PipelineDef {
  return def;
}
