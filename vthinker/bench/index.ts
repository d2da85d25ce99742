// The benchmark's public API in one import (see README.md in this folder).
export type { BenchItem, GeometricTruth, Task } from './types.ts';
export { TASKS } from './types.ts';
export { buildItem, buildItems, selectItems, unusableReason, type BuildItemOptions, type SelectOptions } from './items.ts';
export { BenchFormatError, fileStem, loadBench, loadBenchJson, loadBenchParquet, writeBenchJson, type BenchRecord, type LoadOptions } from './layout.ts';
export {
  answerJudge, compareEdits, defaultJudges, editJudge, extractAnswer, geometricJudge, INSTRUCTION_JUDGE, PERCEPTION_JUDGE,
  toleranceFor, type EditJudgeOptions, type Judge, type TaskOutput, type Verdict,
} from './judges.ts';
export { judgeRequest, modelJudge, parseVerdict, type ChatClient, type ChatRequest, type ModelJudgePrompts } from './model-judge.ts';
export { accuracyOf, PAPER_ROWS, paperTable, rowOf, summarize, wilson, type Accuracy, type PaperTable, type TableRow } from './score.ts';
export { judgeItems, judgeOutputs, PERTURBATIONS, renderOracleOutputs, renderPerturbedOutputs, wrongAnswer, type JudgeReport, type Perturbation } from './outputs.ts';
