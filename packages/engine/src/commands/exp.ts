// `vthinker exp show`: the experiments of a profile beside its baseline, with the params each overrides and the
// metrics that differ.
import { UserError } from '../errors.ts';
import { experimentLock, listExperiments } from '../experiment.ts';
import { lockMetrics } from '../lock-ref.ts';
import { readLockfile } from '../lockfile.ts';
import { lookupParam, type ParamValue } from '../params.ts';
import { profileParams } from '../project.ts';
import type { Metrics } from '../store.ts';
import { JSON_OUT, out, PROFILE, str, type Command } from './command.ts';
import { cell, formatTable } from './table.ts';

interface Row {
  name: string;
  params: Record<string, ParamValue>;
  metrics: Metrics;
}

export const exp: Command = {
  help: `vthinker exp show [--profile P] [--all] [--json]

  One row for the profile (the baseline) and one per experiment run from it (\`vthinker run --set ...\`): the params
  any experiment overrides, then the metrics (stage.metric) that differ from the baseline in some experiment.

  --profile P        the baseline profile (default: default_profile)
  --all              every metric, not only those that differ
  --json             [{name, params, metrics}], every metric`,
  options: { ...PROFILE, ...JSON_OUT, all: { type: 'boolean' } },
  run(project, values, positionals) {
    if (positionals[0] !== 'show' || positionals.length > 1) throw new UserError(`usage: ${exp.help.split('\n')[0]}`);
    const { profile, params } = profileParams(project, str(values.profile));
    const experiments = listExperiments(project.root).filter((e) => e.profile === profile);
    const keys = [...new Set(experiments.flatMap((e) => Object.keys(e.set)))].sort();
    const rows: Row[] = [
      { name: `${profile} (baseline)`, params: Object.fromEntries(keys.map((k) => [k, lookupParam(params, k) ?? null])), metrics: lockMetrics(readLockfile(project.root, profile)) },
      ...experiments.map((e) => ({
        name: e.name,
        params: Object.fromEntries(keys.map((k) => [k, k in e.set ? e.set[k]! : (lookupParam(params, k) ?? null)])),
        metrics: lockMetrics(readLockfile(project.root, experimentLock(e.name))),
      })),
    ];
    if (values.json) return (out(JSON.stringify(rows)), 0);
    if (!experiments.length) return (out(`no experiments from profile ${profile} yet: \`vthinker run --set KEY=VALUE\` runs one`), 0);
    const base = rows[0]!.metrics;
    const metricNames = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))]
      .filter((m) => values.all || rows.some((r) => r.metrics[m] !== base[m]))
      .sort();
    out(formatTable(['experiment', ...keys, ...metricNames], rows.map((r) => [r.name, ...keys.map((k) => cell(r.params[k])), ...metricNames.map((m) => cell(r.metrics[m]))])));
    return 0;
  },
};
