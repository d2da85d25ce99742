// The pipeline as a validated graph: unique names, inputs that point at real outputs, no cycles.
import { UserError } from './errors.ts';
import { dataInputs, isCommandStage, upstreamInputs, type PipelineDef, type StageDef } from './define.ts';
import { msg } from './messages.ts';
import { nearest } from './params.ts';

export interface Graph {
  stages: StageDef[];
  byName: Map<string, StageDef>;
  /** Topological order (stable: declaration order among independent stages). */
  order: string[];
  upstream: Map<string, string[]>;
  downstream: Map<string, string[]>;
}

export function buildGraph(def: PipelineDef): Graph {
  const byName = new Map<string, StageDef>();
  for (const s of def.stages) {
    if (!/^[\w@-]+$/.test(s.name)) throw new UserError(msg.badStageName(s.name));
    if (byName.has(s.name)) throw new UserError(msg.duplicateStage(s.name));
    if (!Object.keys(s.outputs ?? {}).length) throw new UserError(msg.noOutputs(s.name));
    for (const [name, out] of Object.entries(s.outputs)) {
      if (!out.path || out.path.startsWith('/') || out.path.split('/').includes('..')) throw new UserError(msg.badOutputPath(s.name, name, out.path));
    }
    if (!isCommandStage(s) && (typeof s.module !== 'string' || typeof s.run !== 'function')) {
      throw new UserError(`stage ${s.name} needs either \`module: import.meta.url\` with a \`run\` function, or a \`command\``);
    }
    byName.set(s.name, s);
  }
  const upstream = new Map<string, string[]>();
  const downstream = new Map<string, string[]>(def.stages.map((s) => [s.name, []]));
  for (const s of def.stages) {
    const ups: string[] = [];
    for (const [input, data] of dataInputs(s)) {
      if (!isProjectPath(data.path)) throw new UserError(msg.badDataPath(s.name, input, data.path));
    }
    for (const [input, ref] of upstreamInputs(s)) {
      const up = byName.get(ref.stage);
      if (!up) throw new UserError(msg.unknownInputStage(s.name, input, ref.stage, nearest(ref.stage, [...byName.keys()])));
      if (!(ref.output in up.outputs)) throw new UserError(msg.unknownInputOutput(s.name, input, ref.stage, ref.output, Object.keys(up.outputs)));
      if (!ups.includes(ref.stage)) ups.push(ref.stage);
    }
    upstream.set(s.name, ups);
    for (const u of ups) downstream.get(u)!.push(s.name);
  }
  return { stages: [...def.stages], byName, order: topoOrder(def.stages.map((s) => s.name), upstream), upstream, downstream };
}

const isProjectPath = (path: unknown): boolean =>
  typeof path === 'string' && !!path && !path.startsWith('/') && !/^[a-zA-Z]:/.test(path) && !path.split(/[\\/]/).includes('..');

function topoOrder(names: string[], upstream: Map<string, string[]>): string[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  const visit = (name: string, path: string[]): void => {
    const st = state.get(name);
    if (st === 'done') return;
    if (st === 'visiting') throw new UserError(msg.cycle([...path.slice(path.indexOf(name)), name]));
    state.set(name, 'visiting');
    for (const u of upstream.get(name) ?? []) visit(u, [...path, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const n of names) visit(n, []);
  return order;
}

/** The stage and everything it needs, in topological order. */
export function ancestorsAndSelf(graph: Graph, name: string): string[] {
  const keep = new Set<string>();
  const visit = (n: string): void => {
    if (keep.has(n)) return;
    keep.add(n);
    for (const u of graph.upstream.get(n) ?? []) visit(u);
  };
  visit(name);
  return graph.order.filter((n) => keep.has(n));
}

export function requireStage(graph: Graph, name: string): StageDef {
  const s = graph.byName.get(name);
  if (!s) throw new UserError(msg.unknownStage(name, nearest(name, [...graph.byName.keys()])));
  return s;
}
