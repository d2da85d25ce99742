// A project on disk: its root, pipeline.ts, params.yaml, lock files and the store under artifacts/.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from './errors.ts';
import { buildGraph, type Graph } from './graph.ts';
import type { PipelineDef } from './define.ts';
import { loadTypeScript } from './load-module.ts';
import { msg } from './messages.ts';
import { loadParamsFile, resolveProfile, type ParamsFile, type ParamTree } from './params.ts';
import { StatCache } from './stat-cache.ts';
import { Store } from './store.ts';

export interface Project {
  root: string;
  pipelinePath: string;
  def: PipelineDef;
  graph: Graph;
  paramsFile: ParamsFile;
  store: Store;
  statCache: StatCache;
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
  const mod = loadTypeScript<{ default?: PipelineDef }>(pipelinePath);
  const def = mod.default;
  if (!def || !Array.isArray(def.stages)) throw new UserError(msg.pipelineShape(pipelinePath));
  const graph = buildGraph(def);
  const paramsFile = loadParamsFile(resolve(root, def.params ?? 'params.yaml'));
  const artifacts = join(root, 'artifacts');
  const statCache = new StatCache(join(artifacts, 'store', 'stat-cache.json'));
  return { root, pipelinePath, def, graph, paramsFile, store: new Store(artifacts, statCache, root), statCache };
}

export function profileParams(project: Project, profile?: string): { profile: string; params: ParamTree } {
  return resolveProfile(project.paramsFile, profile);
}

/** Where a stage's outputs are shown to users: artifacts/<profile>/<stage>/<path>. */
export function workspacePath(project: Project, profile: string, stage: string, path: string): string {
  return join(project.store.artifacts, profile, stage, path);
}
