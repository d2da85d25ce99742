// `vthinker status`, `stages` and `explain`: what each stage's state is and why, without running anything.
import { assessAll, assessContext, type AssessContext, type Assessment } from '../assess.ts';
import { resolveExperiment } from '../experiment.ts';
import { requireStage } from '../graph.ts';
import { shortDigest } from '../hash.ts';
import type { Project } from '../project.ts';
import { EXP, JSON_OUT, onePositional, out, PROFILE, str, VERIFY, VERIFY_HELP, type Command, type Values } from './command.ts';

const TARGET_HELP = `  --profile P        the params profile (default: default_profile in params.yaml)
  --exp NAME         an experiment (see \`vthinker run --help\`) instead of a profile`;

/** The assessment context of --profile, or of the experiment --exp names. */
export function targetContext(project: Project, values: Values): AssessContext {
  const name = str(values.exp);
  const experiment = name
    ? resolveExperiment(project.root, { profile: str(values.profile), defaultProfile: project.paramsFile.defaultProfile, name })
    : undefined;
  return assessContext(project, str(values.profile), experiment);
}

const heading = (ctx: AssessContext) => `profile ${ctx.profile}${ctx.experiment ? `, experiment ${ctx.experiment.name}` : ''}`;

function assess(project: Project, values: Values, until?: string): { ctx: AssessContext; all: Assessment[] } {
  const ctx = targetContext(project, values);
  const all = assessAll(ctx, until, !!values.verify);
  project.statCache.save();
  project.views.save();
  return { ctx, all };
}

export const status: Command = {
  help: `vthinker status [--profile P | --exp NAME] [--verify] [--json]

  Says, without running anything, which stages a run would restore or run and why: code, params, data or upstream
  outputs that changed, outputs missing from the store, a workspace copy that was deleted or edited.

${TARGET_HELP}
${VERIFY_HELP}
  --json             one JSON array: {stage, state, reasons, key?}`,
  options: { ...PROFILE, ...EXP, ...VERIFY, ...JSON_OUT },
  run(project, values) {
    const { ctx, all } = assess(project, values);
    if (values.json) {
      out(JSON.stringify(all.map(({ stage, state, reasons, key }) => ({ stage, state, reasons, ...(key ? { key } : {}) }))));
      return 0;
    }
    out(heading(ctx));
    for (const a of all) {
      out(`${a.state.padEnd(8)} ${a.stage}${a.cached && a.state !== 'fresh' ? ' (cached in the store)' : ''}`);
      for (const r of a.reasons) out(`         ${r}`);
    }
    return 0;
  },
};

export const stages: Command = {
  help: `vthinker stages [--profile P | --exp NAME] [--json]

  One line per stage, in the order a run takes them: state (fresh | stale | missing), name, what it reads and its
  description. \`vthinker status\` says why a stage is not fresh.

${TARGET_HELP}
  --json             one JSON array: {stage, state, inputs, outputs, description}`,
  options: { ...PROFILE, ...EXP, ...JSON_OUT },
  run(project, values) {
    const { all } = assess(project, values);
    const rows = all.map((a) => {
      const def = project.graph.byName.get(a.stage)!;
      return { stage: a.stage, state: a.state, inputs: Object.keys(def.inputs ?? {}), outputs: Object.keys(def.outputs), description: def.description ?? '' };
    });
    if (values.json) return (out(JSON.stringify(rows)), 0);
    const width = Math.max(...rows.map((r) => r.stage.length));
    for (const r of rows) out(`${r.state.padEnd(8)} ${r.stage.padEnd(width)}  ${r.description}`.trimEnd());
    return 0;
  },
};

export const explain: Command = {
  help: `vthinker explain STAGE [--profile P | --exp NAME]

  The stage's state, the key in the lock file and the key it has now, and every difference between the two
  pre-images (params, code, data, packages, runtime, upstream outputs).

${TARGET_HELP}`,
  options: { ...PROFILE, ...EXP },
  run(project, values, positionals) {
    const name = onePositional(positionals, explain.help);
    requireStage(project.graph, name);
    const { ctx, all } = assess(project, values, name);
    const a = all.find((x) => x.stage === name)!;
    const entry = ctx.lock.stages[name];
    out(`${name} (${heading(ctx)}): ${a.state}`);
    if (entry) out(`  locked key  ${shortDigest(entry.key)}`);
    if (a.key) out(`  current key ${shortDigest(a.key)}${a.cached ? ' (in the store)' : ''}`);
    else if (a.pendingUpstream) out(`  current key not known until ${a.pendingUpstream.join(', ')} ran (it depends on their outputs)`);
    out(a.reasons.length ? a.reasons.map((r) => `  - ${r}`).join('\n') : '  nothing changed');
    return 0;
  },
};
