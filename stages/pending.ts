// Stages whose method is not implemented yet record their plan, and nothing else: no number in the pipeline is
// made up. Each such stage says which issue will fill it.
import { writeFileSync } from 'node:fs';
import type { StageContext } from 'vthinker/engine';

export function recordPlan(ctx: StageContext, issue: string, inputs: readonly string[]): void {
  const plan = {
    status: `not implemented yet: ${issue}`,
    stage: ctx.stage,
    params: ctx.params,
    // Names only: where an executor materialises inputs must not change what the stage writes.
    inputs: inputs.filter((name) => ctx.input(name) !== ''),
  };
  writeFileSync(ctx.output('plan'), `${JSON.stringify(plan, null, 2)}\n`);
}
