// The engine's programmatic runtime (`@vthinker/engine/api`): load a project, run it, assess it, render its events,
// and read its params and store.
export { loadProject, findRoot } from './project.ts';
export { runPipeline } from './run.ts';
export type { RunOptions, RunSummary } from './run.ts';
export { assessAll, assessContext } from './assess.ts';
export type { EngineEvent, EventSink } from './events.ts';
export { terminalReporter } from './reporters/terminal.ts';
export { jsonReporter } from './reporters/json.ts';
export { loadParamsFile, resolveProfile } from './params.ts';
export type { ParamTree, ParamValue, ParamsFile } from './params.ts';
export { Store } from './store.ts';
export type { OutputRecord } from './store.ts';
export { StatCache } from './stat-cache.ts';
/** The queue executor: needs the optional peers bullmq and ioredis, loaded when a run starts. */
export { QueueExecutor } from './queue.ts';
