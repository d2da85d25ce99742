// `vthinker report [--profile P] [--json]`: the engine's half of a project's report command. The project passes
// its sections (a pipeline's `commands` entry); this builds the report, publishes it and says where it is.
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { shortDigest } from '../hash.ts';
import { loadProject } from '../project.ts';
import { buildReport, type ReportSection } from './build.ts';

export const REPORT_USAGE = 'vthinker report [--profile P] [--json]';

export interface ReportCommandOptions {
  title: string;
  sections: readonly ReportSection[];
  /** Where messages go (tests pass their own). */
  log?: (line: string) => void;
}

/** Builds the report of `env.profile` (the CLI resolved --profile, or the default profile); exit code 1 if a section failed. */
export async function reportCommand(args: string[], env: { root: string; profile: string }, o: ReportCommandOptions): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { profile: { type: 'string', short: 'p' }, json: { type: 'boolean' } } });
  const log = o.log ?? ((line: string) => console.log(line));
  const started = performance.now();
  const project = await loadProject(env.root);
  const built = await buildReport({
    root: env.root,
    profile: env.profile,
    store: project.store,
    statCache: project.statCache,
    title: o.title,
    sections: o.sections,
    stageOrder: project.graph.order,
  });
  project.statCache.save();
  const seconds = Math.round(performance.now() - started) / 1000;
  const { digest, files, size } = built.record;
  if (values.json) log(JSON.stringify({ profile: env.profile, index: built.index, digest, files, bytes: size, seconds, problems: built.problems }));
  else {
    log(`report (profile ${env.profile}): ${relative(process.cwd(), built.index) || built.index}`);
    log(`  digest ${digest} (${shortDigest(digest)}), ${files} files, ${(size / 1024).toFixed(0)} KiB, ${seconds.toFixed(1)} s`);
    for (const p of built.problems) log(`  problem: ${p}`);
  }
  return built.problems.length ? 1 : 0;
}
