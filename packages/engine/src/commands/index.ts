// The engine's commands: name -> a one-line summary (for `vthinker --help`) and the module that holds the command,
// loaded only when used (plots loads vega and sharp, the queue loads bullmq).
import type { Command } from './command.ts';

interface Entry {
  summary: string;
  load: () => Promise<Command>;
}

export const COMMANDS: Record<string, Entry> = {
  run: { summary: 'run what changed (every run is a resume); --set KEY=VALUE runs an experiment', load: async () => (await import('./run.ts')).run },
  status: { summary: 'each stage fresh | stale | missing, with reasons', load: async () => (await import('./status.ts')).status },
  stages: { summary: 'the stages in run order, with their state and description', load: async () => (await import('./status.ts')).stages },
  explain: { summary: 'why STAGE would run: the pre-image diff against the lock', load: async () => (await import('./status.ts')).explain },
  show: { summary: 'outputs, digests, metrics and workspace paths of a stage', load: async () => (await import('./inspect.ts')).show },
  dag: { summary: 'the stage graph (text, --dot, --vega)', load: async () => (await import('./inspect.ts')).dag },
  metrics: { summary: "every stage's metrics; `metrics diff A B` compares two locks", load: async () => (await import('./inspect.ts')).metrics },
  params: { summary: '`params diff A B`: the params two locks (profiles, experiments, revisions) ran with', load: async () => (await import('./inspect.ts')).params },
  exp: { summary: '`exp show`: the experiments of a profile, their params and metrics beside the baseline', load: async () => (await import('./exp.ts')).exp },
  plots: { summary: 'curve outputs overlaid across experiments or revisions, as PNG and HTML', load: async () => (await import('./plots.ts')).plots },
  runs: { summary: 'history of stage runs (params and metrics)', load: async () => (await import('./inspect.ts')).runs },
  push: { summary: "copy the profile's runs and artifacts to a remote (.vthinker/config.yaml)", load: async () => (await import('../remote/command.ts')).pushCommand },
  pull: { summary: 'fetch them from a remote: status fresh without running', load: async () => (await import('../remote/command.ts')).pullCommand },
  gc: { summary: 'remove store entries no lock file references (--dry lists them)', load: async () => (await import('./gc.ts')).gc },
  worker: { summary: 'take stage jobs from the queues (docs/scale-out.md)', load: async () => (await import('./run.ts')).worker },
  notebooks: { summary: 'execute the notebooks whose inputs changed (headless)', load: async () => (await import('../notebooks/command.ts')).notebooks },
};

/** The command list; with a project, its own commands too. */
export function usage(extra: Record<string, { summary: string }> = {}): string {
  const rows = [...Object.entries(COMMANDS), ...Object.entries(extra)];
  const width = Math.max(...rows.map(([name]) => name.length));
  return `usage: vthinker <command> [options]     (vthinker <command> --help says more)

${rows.map(([name, e]) => `  ${name.padEnd(width)}  ${e.summary}`).join('\n')}`;
}
