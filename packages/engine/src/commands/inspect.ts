// Read-only commands over the graph, the lock files and the journal: dag, show, metrics (and metrics diff), params
// diff, runs.
import { UserError } from '../errors.ts';
import { requireStage } from '../graph.ts';
import { shortDigest } from '../hash.ts';
import { dagDot, dagText, dagVegaLite, metricsOf, readJournal } from '../inspect.ts';
import { lockMetrics, lockParams, resolveLockRef, type NamedLock } from '../lock-ref.ts';
import { readLockfile } from '../lockfile.ts';
import { profileParams, workspacePath, type Project } from '../project.ts';
import { EXP, JSON_OUT, onePositional, out, PROFILE, str, type Command, type Values } from './command.ts';
import { targetContext } from './status.ts';
import { cell, formatTable } from './table.ts';

export const dag: Command = {
  help: `vthinker dag [--dot | --vega]

  --dot              Graphviz dot
  --vega             a vega-lite spec (JSON)`,
  options: { dot: { type: 'boolean' }, vega: { type: 'boolean' } },
  run(project, values) {
    out(values.dot ? dagDot(project.graph) : values.vega ? JSON.stringify(dagVegaLite(project.graph), null, 2) : dagText(project.graph));
    return 0;
  },
};

/** The lock name of --profile or --exp (an experiment must exist). */
function lockNameOf(project: Project, values: Values): string {
  return str(values.exp) ? targetContext(project, values).lockName : profileParams(project, str(values.profile)).profile;
}

export const show: Command = {
  help: `vthinker show STAGE [--profile P | --exp NAME]`,
  options: { ...PROFILE, ...EXP },
  run(project, values, positionals) {
    const name = onePositional(positionals, show.help);
    const def = requireStage(project.graph, name);
    const lockName = lockNameOf(project, values);
    const entry = readLockfile(project.root, lockName).stages[name];
    out(`${name}${def.description ? `: ${def.description}` : ''}`);
    if (!entry) return (out(`  not run in ${lockName}`), 0);
    out(`  key ${entry.key}\n  duration ${entry.duration_s}s\n  outputs:`);
    for (const [k, o] of Object.entries(entry.outputs)) {
      out(`    ${k}: ${o.kind} ${workspacePath(project, lockName, name, o.path)}  ${shortDigest(o.digest)}  ${o.files} file(s), ${o.size} bytes`);
    }
    if (Object.keys(entry.metrics).length) out(`  metrics:\n${Object.entries(entry.metrics).map(([k, v]) => `    ${k}: ${v}`).join('\n')}`);
    return 0;
  },
};

const DIFF_HELP = `  A, B               a lock file (path), an experiment, a profile, or a git revision (HEAD~1: the lock of --profile
                     at that revision; REV:NAME: another lock at that revision). Default: A = HEAD, B = --profile's lock.
  --profile P        the lock a bare revision reads, and the default B (default: default_profile)
  --all              show unchanged values too
  --json             {key: {a, b}} for each row shown`;

export const metrics: Command = {
  help: `vthinker metrics [--profile P | --exp NAME] [--json]
vthinker metrics diff [A [B]] [--profile P] [--all] [--json]

  Without \`diff\`: each stage's metrics in the lock. With it: every metric (stage.metric) that differs between two
  locks, with the change.

${DIFF_HELP}`,
  options: { ...PROFILE, ...EXP, ...JSON_OUT, all: { type: 'boolean' } },
  run(project, values, positionals) {
    if (positionals[0] === 'diff') return diffCommand(project, values, positionals.slice(1), lockMetrics);
    if (positionals.length) throw new UserError(`usage: ${metrics.help.split('\n')[0]}`);
    const m = metricsOf(project, lockNameOf(project, values));
    if (values.json) out(JSON.stringify(m, null, 2));
    else for (const [stage, ms] of Object.entries(m)) out(`${stage}\n${Object.entries(ms).map(([k, v]) => `  ${k}: ${v}`).join('\n')}`);
    return 0;
  },
};

export const params: Command = {
  help: `vthinker params diff [A [B]] [--profile P] [--all] [--json]

  Every param (as dotted keys) that the stages of two locks declared, where the values differ.

${DIFF_HELP}`,
  options: { ...PROFILE, ...JSON_OUT, all: { type: 'boolean' } },
  run(project, values, positionals) {
    if (positionals[0] !== 'diff') throw new UserError(`usage: ${params.help.split('\n')[0]}`);
    return diffCommand(project, values, positionals.slice(1), lockParams);
  },
};

function diffCommand(project: Project, values: Values, refs: string[], view: (l: NamedLock['lock']) => Record<string, unknown>): number {
  if (refs.length > 2) throw new UserError('compare two locks at a time: A B');
  const profile = profileParams(project, str(values.profile)).profile;
  const [a, b] = [refs[0] ?? 'HEAD', refs[1] ?? profile].map((r) => resolveLockRef(project.root, r, profile));
  const [va, vb] = [view(a!.lock), view(b!.lock)];
  const keys = [...new Set([...Object.keys(va), ...Object.keys(vb)])].sort();
  const same = (k: string) => JSON.stringify(va[k]) === JSON.stringify(vb[k]);
  const shown = keys.filter((k) => values.all || !same(k));
  if (values.json) return (out(JSON.stringify(Object.fromEntries(shown.map((k) => [k, { a: va[k] ?? null, b: vb[k] ?? null }])))), 0);
  if (!shown.length) return (out(`no differences between ${a!.label} and ${b!.label}`), 0);
  const change = (k: string) => {
    const [x, y] = [va[k], vb[k]];
    if (typeof x !== 'number' || typeof y !== 'number') return same(k) ? '' : 'changed';
    const d = y - x;
    return `${d >= 0 ? '+' : ''}${cell(d)}${x ? ` (${d >= 0 ? '+' : ''}${((100 * d) / Math.abs(x)).toFixed(1)}%)` : ''}`;
  };
  out(formatTable(['key', a!.label, b!.label, 'change'], shown.map((k) => [k, cell(va[k]), cell(vb[k]), change(k)])));
  return 0;
}

export const runs: Command = {
  help: `vthinker runs [--json]

  Every stage run recorded in the journal (artifacts/store/journal.jsonl), oldest first.`,
  options: { ...JSON_OUT },
  run(project, values) {
    const lines = readJournal(project.store.journal);
    if (values.json) return (out(JSON.stringify(lines)), 0);
    for (const l of lines) {
      out(`${l.at}  ${l.profile.padEnd(6)} ${l.stage.padEnd(14)} ${shortDigest(l.key)} ${l.durationS.toFixed(1)}s  ${Object.entries(l.metrics).slice(0, 4).map(([k, v]) => `${k}=${v}`).join(' ')}`);
    }
    return 0;
  },
};
