// A project on disk: its root, pipeline.ts, params.yaml, lock files and the store under artifacts/.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { UserError } from './errors.ts';
import { buildGraph, type Graph } from './graph.ts';
import type { PipelineDef } from './define.ts';
import { loadTypeScript } from './load-module.ts';
import { msg } from './messages.ts';
import { importPipelineBundle } from './pipeline-bundle.ts';
import { loadParamsFile, resolveProfile, type ParamsFile, type ParamTree } from './params.ts';
import { StatCache } from './stat-cache.ts';
import { Store } from './store.ts';
import { ViewSeals } from './view-seals.ts';

export interface Project {
  root: string;
  pipelinePath: string;
  def: PipelineDef;
  graph: Graph;
  paramsFile: ParamsFile;
  store: Store;
  statCache: StatCache;
  /** Seals on workspace views that were checked file by file (view-seals.ts). */
  views: ViewSeals;
}

/** The nearest folder at or above `start` that holds a pipeline.ts. */
export function findRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'pipeline.ts'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new UserError(msg.pipelineMissing(join(resolve(start), 'pipeline.ts')));
    dir = parent;
  }
}

export async function loadProject(root: string, pipelineFile = 'pipeline.ts'): Promise<Project> {
  const pipelinePath = resolve(root, pipelineFile);
  if (!existsSync(pipelinePath)) throw new UserError(msg.pipelineMissing(pipelinePath));
  const def = (await loadPipelineModule(root, pipelinePath)).default;
  if (!def || !Array.isArray(def.stages)) throw new UserError(msg.pipelineShape(pipelinePath));
  const graph = buildGraph(def);
  const artifacts = join(root, 'artifacts');
  const statCache = new StatCache(join(artifacts, 'store', 'stat-cache'));
  const paramsPath = resolve(root, def.params ?? 'params.yaml');
  const paramsFile = loadParamsFile(paramsPath, { statCache, key: relative(root, paramsPath).split(sep).join('/') });
  const store = new Store(artifacts, statCache, root);
  const views = new ViewSeals(store, (lockName, stage) => join(artifacts, lockName, stage));
  return { root, pipelinePath, def, graph, paramsFile, store, statCache, views };
}

/** pipeline.ts from its compiled bundle; through tsx when it cannot be bundled (VTHINKER_DEBUG=1 says why). */
async function loadPipelineModule(root: string, pipelinePath: string): Promise<{ default?: PipelineDef }> {
  try {
    return (await importPipelineBundle(root, pipelinePath)) as { default?: PipelineDef };
  } catch (error) {
    if (process.env.VTHINKER_DEBUG) console.error('vthinker: pipeline bundle unavailable, loading it through tsx:', error);
    return loadTypeScript<{ default?: PipelineDef }>(pipelinePath);
  }
}

export function profileParams(project: Project, profile?: string): { profile: string; params: ParamTree } {
  return resolveProfile(project.paramsFile, profile);
}

/** Where a stage's outputs are shown to users: artifacts/<profile>/<stage>/<path>. */
export function workspacePath(project: Project, profile: string, stage: string, path: string): string {
  return join(project.store.artifacts, profile, stage, path);
}
