// The engine's programmatic runtime: load a project, run it, assess it, and render its events.
export { loadProject, findRoot } from './project.ts';
export { runPipeline } from './run.ts';
export type { RunOptions, RunSummary } from './run.ts';
export { assessAll, assessContext } from './assess.ts';
export type { EngineEvent, EventSink } from './events.ts';
export { terminalReporter } from './reporters/terminal.ts';
export { jsonReporter } from './reporters/json.ts';
