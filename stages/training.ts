// What the training stages share: the curriculum's tokenizer, the policy shape from params, and the metrics every
// training stage reports (rollout evaluation before/after, speed, resume).
import type { StageContext } from '@vthinker/engine';
import { vocabulary } from '../vthinker/knowledge/vocabulary.ts';
import type { PolicyConfig } from '../vthinker/model/config.ts';
import { Tokenizer } from '../vthinker/policy/tokenizer.ts';
import { GENERAL_WORDS } from '../vthinker/general/questions.ts';
import { perceptionPolicyConfig, type PerceptionModelParams } from '../vthinker/train/perception.ts';
import type { RolloutStats } from '../vthinker/curriculum/evaluate.ts';
import { matmulGflops } from '../vthinker/compute/matmul-rate.ts';

/** The flywheel grammar's words and the general questions' (every training stage shares one tokenizer). */
export const curriculumTokenizer = (): Tokenizer => new Tokenizer({ words: [...vocabulary(), ...GENERAL_WORDS] });

export const policyConfigOf = (tok: Tokenizer, model: PerceptionModelParams): PolicyConfig => perceptionPolicyConfig(tok, model);

const REPORTED: readonly (keyof RolloutStats)[] = ['reward', 'accuracy', 'tool_calls', 'tool_use', 'sandbox_error_rate', 'format_ok'];

/** Rollout evaluation before and after (`<stat>_before`, `<stat>_after`, per-kind accuracy), steps, speed, backend. */
export function recordTraining(
  ctx: StageContext,
  report: { before: RolloutStats; after: RolloutStats; steps: number; trainSeconds: number; resumedFrom: number },
  compute: string,
): void {
  const r4 = (v: number | undefined) => +(v ?? 0).toFixed(4);
  for (const k of REPORTED) {
    ctx.metric(`${k}_before`, r4(report.before[k]));
    ctx.metric(`${k}_after`, r4(report.after[k]));
  }
  for (const [k, v] of Object.entries(report.after)) if (k.startsWith('accuracy_')) ctx.metric(`${k}_after`, r4(v));
  // General questions before and after: what a stage costs or gives the generalist.
  if (report.before.accuracy_general !== undefined) ctx.metric('accuracy_general_before', r4(report.before.accuracy_general));
  ctx.metric('steps', report.steps);
  ctx.metric('train_seconds', +report.trainSeconds.toFixed(1));
  ctx.metric('resumed_from', report.resumedFrom);
  ctx.metric('compute', compute);
  recordMatmulRate(ctx);
}

/**
 * The backend's matmul rate measured now, in this stage's process (`matmul_gflops`), so a stage's samples/s can be
 * read against what the same compute stack does on a plain 1024² matmul in the same run (about a second).
 */
export function recordMatmulRate(ctx: StageContext): void {
  ctx.metric('matmul_gflops', +matmulGflops().toFixed(1));
}
