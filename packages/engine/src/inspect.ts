// Read-only views of a project for the CLI and notebooks: the graph, the lock, metrics and the run journal.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDataInput } from './define.ts';
import type { Graph } from './graph.ts';
import { readLockfile } from './lockfile.ts';
import type { Project } from './project.ts';
import type { Metrics } from './store.ts';

export function metricsOf(project: Project, profile: string): Record<string, Metrics> {
  const lock = readLockfile(project.root, profile);
  return Object.fromEntries(project.graph.order.filter((s) => lock.stages[s]).map((s) => [s, lock.stages[s]!.metrics]));
}

export interface JournalLine {
  at: string;
  profile: string;
  stage: string;
  key: string;
  outcome: string;
  durationS: number;
  params: Record<string, unknown>;
  metrics: Metrics;
}

export function readJournal(journal: string): JournalLine[] {
  if (!existsSync(journal)) return [];
  return readFileSync(journal, 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as JournalLine];
      } catch {
        return []; // a line cut by a crash is skipped, never fatal
      }
    });
}

/** Names of every lock file: the profiles' and the experiments' (`exp/<name>`). */
export function lockNames(root: string): string[] {
  const names = (dir: string, prefix: string) =>
    existsSync(dir) ? readdirSync(dir).flatMap((f) => (f.endsWith('.lock.yaml') ? [prefix + f.slice(0, -'.lock.yaml'.length)] : [])) : [];
  return [...names(join(root, 'lockfiles'), ''), ...names(join(root, 'lockfiles', 'exp'), 'exp/')].sort();
}

/** Every key any lock file (a profile's or an experiment's) references: what `gc` keeps. */
export function lockedKeys(root: string): Set<string> {
  const keys = new Set<string>();
  for (const name of lockNames(root)) for (const entry of Object.values(readLockfile(root, name).stages)) keys.add(entry.key);
  return keys;
}

export function dagText(graph: Graph): string {
  return graph.order
    .map((name) => {
      const s = graph.byName.get(name)!;
      const ins = Object.entries(s.inputs ?? {}).map(([k, r]) => `${k}<-${isDataInput(r) ? r.path : `${r.stage}.${r.output}`}`);
      const outs = Object.keys(s.outputs);
      return `${name}${ins.length ? `  (${ins.join(', ')})` : ''}  -> ${outs.join(', ')}${s.description ? `\n    ${s.description}` : ''}`;
    })
    .join('\n');
}

export function dagDot(graph: Graph): string {
  const edges = graph.order.flatMap((n) => (graph.upstream.get(n) ?? []).map((u) => `  "${u}" -> "${n}";`));
  return `digraph pipeline {\n  rankdir=LR;\n  node [shape=box, fontname="DejaVu Sans"];\n${graph.order.map((n) => `  "${n}";`).join('\n')}\n${edges.join('\n')}\n}\n`;
}

/** A vega-lite picture of the graph: stages placed by depth (x) and order within a depth (y), edges as rules. */
export function dagVegaLite(graph: Graph): object {
  const depth = new Map<string, number>();
  for (const n of graph.order) depth.set(n, Math.max(-1, ...(graph.upstream.get(n) ?? []).map((u) => depth.get(u)!)) + 1);
  const row = new Map<number, number>();
  const nodes = graph.order.map((n) => {
    const d = depth.get(n)!;
    const y = row.get(d) ?? 0;
    row.set(d, y + 1);
    return { stage: n, x: d, y };
  });
  const at = new Map(nodes.map((p) => [p.stage, p]));
  const edges = graph.order.flatMap((n) => (graph.upstream.get(n) ?? []).map((u) => ({ x: at.get(u)!.x, y: at.get(u)!.y, x2: at.get(n)!.x, y2: at.get(n)!.y })));
  const axis = { axis: null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'pipeline stages',
    width: 120 * (Math.max(...nodes.map((p) => p.x)) + 1),
    height: 40 * (Math.max(...nodes.map((p) => p.y)) + 1),
    layer: [
      { data: { values: edges }, mark: { type: 'rule', color: '#999' }, encoding: { x: { field: 'x', type: 'quantitative', ...axis }, y: { field: 'y', type: 'quantitative', ...axis }, x2: { field: 'x2' }, y2: { field: 'y2' } } },
      { data: { values: nodes }, mark: { type: 'text', fontSize: 12, fontWeight: 'bold' }, encoding: { x: { field: 'x', type: 'quantitative', ...axis }, y: { field: 'y', type: 'quantitative', ...axis }, text: { field: 'stage' } } },
    ],
  };
}
