// The DSL that pipeline.ts and stage modules import: small and side-effect free, so declaring a pipeline never
// loads the scheduler. The programmatic runtime (run, status, reporters) is in api.ts.
export { dir, file, from, json, matrix, pipeline, stage } from './define.ts';
export type { CommandStage, FunctionStage, InputRef, OutputSpec, StageInput, PipelineDef, ProjectCommand, Resources, StageDef } from './define.ts';
export type { StageContext } from './context.ts';
export { UserError } from './errors.ts';
