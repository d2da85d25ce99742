// The engine's public API: declare stages and pipelines, run them, and read their artifacts.
export { dir, file, from, json, matrix, pipeline, stage } from './define.ts';
export type { CommandStage, FunctionStage, InputRef, OutputSpec, PipelineDef, ProjectCommand, Resources, StageDef } from './define.ts';
export type { StageContext } from './context.ts';
export type { EngineEvent, EventSink } from './events.ts';
export { UserError } from './errors.ts';
export { loadProject, findRoot } from './project.ts';
export { runPipeline } from './run.ts';
export type { RunOptions, RunSummary } from './run.ts';
export { assessAll, assessContext } from './assess.ts';
export { terminalReporter } from './reporters/terminal.ts';
export { jsonReporter } from './reporters/json.ts';
