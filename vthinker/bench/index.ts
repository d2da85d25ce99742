// The benchmark's public API in one import (see README.md in this folder).
export type { BenchItem, FullBenchItem, GeometricTruth, Task } from './types.ts';
export { annotationOf, questionOf, TASKS } from './types.ts';
export { buildItem, buildItems, selectItems, unusableReason, type BuildItemOptions, type SelectOptions } from './items.ts';
export {
  BenchFormatError, fileStem, loadBench, loadBenchJson, loadBenchParquet, readBench, readBenchJson, readBenchParquet, writeBenchJson,
  type BenchRecord, type LoadedBench, type LoadOptions, type SkippedTask,
} from './layout.ts';
export { BenchUsageError, isAbsent } from './records.ts';
export {
  answerJudge, compareEdits, defaultJudges, editJudge, extractAnswer, geometricJudge, INSTRUCTION_JUDGE, PERCEPTION_JUDGE,
  toleranceFor, type EditJudgeOptions, type Judge, type TaskOutput, type Verdict,
} from './judges.ts';
export {
  apiKeyFromEnv, completionsUrl, createChatClient, dataUrl, EndpointError, imageMime,
  type ChatClient, type ChatClientOptions, type ChatMessage, type ChatPart, type ChatRequest, type Completion,
} from './chat-client.ts';
export {
  DEFAULT_PROMPTS, equivalenceRequest, extractRequest, fillTemplate, judgeRequest, loadJudgePrompts, modelJudge, parseVerdict, type ModelJudgePrompts,
} from './model-judge.ts';
export {
  JUDGE_ARG_HELP, JUDGE_ARG_OPTIONS, judgeOptionsFor, judgeSetupFrom, loadOptionsFrom, scoreRun, type JudgeMode, type JudgeSetup, type ScoreRunOptions,
} from './judge-setup.ts';
export { COLUMN, progressLine, resultLines, runSummary, summarizeSkipped, summaryText, writeRunReport, type ResultLine, type RunSummary, type SkippedSummary } from './run-report.ts';
export { accuracyOf, PAPER_ROWS, paperTable, rowOf, summarize, wilson, type Accuracy, type PaperTable, type TableRow } from './score.ts';
export {
  judgeItems, judgeOutputs, outputsFolder, PERTURBATIONS, renderOracleOutputs, renderPerturbedOutputs, wrongAnswer,
  type JudgedRow, type JudgeOptions, type JudgeReport, type OutputReader, type Perturbation,
} from './outputs.ts';
