// The `vthinker` command line: run, status, explain, dag, show, metrics, runs, gc, plus the project's own commands.
import { readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { assessAll, assessContext } from './assess.ts';
import { isUserError, UserError } from './errors.ts';
import type { EventSink } from './events.ts';
import { requireStage } from './graph.ts';
import { shortDigest } from './hash.ts';
import { dagDot, dagText, dagVegaLite, lockedKeys, metricsOf, readJournal } from './inspect.ts';
import { readLockfile } from './lockfile.ts';
import { FileLock } from './locks.ts';
import { ensureTsxEsm } from './load-module.ts';
import { msg } from './messages.ts';
import { findRoot, loadProject, profileParams, workspacePath, type Project } from './project.ts';
import { jsonReporter } from './reporters/json.ts';
import { terminalReporter } from './reporters/terminal.ts';
import { runPipeline } from './run.ts';

const USAGE = `usage: vthinker <command> [options]

  run      [--profile P] [--until S] [--force S]... [--jobs N] [--dry] [--keep-going] [--json] [--verbose]
           [--executor process|inline|queue] [--redis URL] [--retry N]
                                           run what changed (every run is a resume)
  worker   --queues cpu,gpu,POOL [--concurrency N] [--redis URL]
                                           take stage jobs from the queues (see README: Scale out)
  status   [--profile P] [--json]          each stage fresh | stale | missing, with reasons
  explain  STAGE [--profile P]             why STAGE would run: the pre-image diff against the lock
  dag      [--dot | --vega]                the stage graph
  show     STAGE [--profile P]             outputs, digests, metrics and workspace paths
  metrics  [--profile P] [--json]          every stage's metrics
  runs     [--json]                        history of runs (params and metrics)
  gc       [--dry]                         remove store entries no lock file references
  push     [--profile P] [--remote NAME]   copy the profile's runs and artifacts to a remote (.vthinker/config.yaml)
  pull     [--profile P] [--remote NAME]   fetch them from a remote: status fresh without running
  notebooks [NAME]... [--profile P] [--force] [--no-typecheck] [--setup]
                                           execute the notebooks whose inputs changed (headless)`;

type Values = Record<string, string | boolean | string[] | undefined>;

const OPTIONS = {
  profile: { type: 'string', short: 'p' },
  until: { type: 'string' },
  force: { type: 'string', multiple: true },
  jobs: { type: 'string', short: 'j' },
  dry: { type: 'boolean' },
  'keep-going': { type: 'boolean', short: 'k' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  executor: { type: 'string' },
  redis: { type: 'string' },
  retry: { type: 'string' },
  queues: { type: 'string' },
  concurrency: { type: 'string' },
  dot: { type: 'boolean' },
  vega: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function main(argv: string[], cwd = process.cwd()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === 'help' || command === '--help' || command === '-h') {
      console.log(USAGE);
      return command ? 0 : 2;
    }
    // Their own options and modules (ssh2 for SFTP), loaded only when used; --help needs no project.
    if (command === 'push' || command === 'pull') return await (await import('./remote/command.ts')).remoteCommand(command, rest, cwd);
    const root = findRoot(cwd);
    const project = await loadProject(root);
    // Its own options (--setup, --no-typecheck) and module, loaded only when used.
    if (command === 'notebooks') return await (await import('./notebooks/command.ts')).notebooksCommand(project, rest);
    const extra = project.def.commands?.[command];
    if (extra) {
      await ensureTsxEsm(); // project commands import more TypeScript at run time
      const profile = profileParams(project, parseProfileOnly(rest)).profile;
      return (await extra.run(rest, { root, profile })) ?? 0;
    }
    const { values, positionals } = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
    if (values.help) return (console.log(USAGE), 0);
    switch (command) {
      case 'run':
        return await runCommand(project, values);
      case 'status':
        return status(project, values);
      case 'worker':
        return await workerCommand(project, values);
      case 'explain':
        return explain(project, values, positionals);
      case 'dag':
        console.log(values.dot ? dagDot(project.graph) : values.vega ? JSON.stringify(dagVegaLite(project.graph), null, 2) : dagText(project.graph));
        return 0;
      case 'show':
        return show(project, values, positionals);
      case 'metrics': {
        const m = metricsOf(project, profileParams(project, values.profile as string | undefined).profile);
        if (values.json) console.log(JSON.stringify(m, null, 2));
        else for (const [stage, metrics] of Object.entries(m)) console.log(`${stage}\n${Object.entries(metrics).map(([k, v]) => `  ${k}: ${v}`).join('\n')}`);
        return 0;
      }
      case 'runs': {
        const lines = readJournal(project.store.journal);
        if (values.json) console.log(JSON.stringify(lines));
        else for (const l of lines) console.log(`${l.at}  ${l.profile.padEnd(6)} ${l.stage.padEnd(14)} ${shortDigest(l.key)} ${l.durationS.toFixed(1)}s  ${Object.entries(l.metrics).slice(0, 4).map(([k, v]) => `${k}=${v}`).join(' ')}`);
        return 0;
      }
      case 'gc':
        return gc(project, !!values.dry);
      default:
        throw new UserError(`unknown command ${command}\n${USAGE}`);
    }
  } catch (error) {
    if (isUserError(error) || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`vthinker: ${(error as Error).message}`);
      return 2;
    }
    throw error;
  }
}

function parseProfileOnly(args: string[]): string | undefined {
  const i = args.findIndex((a) => a === '--profile' || a === '-p');
  return i >= 0 ? args[i + 1] : args.find((a) => a.startsWith('--profile='))?.slice(10);
}

async function runCommand(project: Project, values: Values): Promise<number> {
  const sink: EventSink = values.json ? jsonReporter() : terminalReporter({ verbose: !!values.verbose });
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs > 0)) throw new UserError(`--jobs must be a positive integer, got ${values.jobs}`);
  const executor = (values.executor as string | undefined) ?? 'process';
  if (!['process', 'inline', 'queue'].includes(executor)) throw new UserError(`--executor must be process, inline or queue, got ${executor}`);
  const retries = positiveInt(values.retry, '--retry', true);
  // Lazy: bullmq and ioredis load only for a queue run.
  const queue = executor === 'queue'
    ? await (await import('./queue.ts')).QueueExecutor.connect({ url: (await import('./queue.ts')).redisUrl(values.redis as string | undefined), retries: retries ?? 0 })
    : undefined;
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const summary = await runPipeline(project, {
      ...(values.profile ? { profile: values.profile as string } : {}),
      ...(values.until ? { until: values.until as string } : {}),
      force: (values.force as string[] | undefined) ?? [],
      dry: !!values.dry,
      keepGoing: !!values['keep-going'],
      executor: queue ?? (executor as 'process' | 'inline'),
      ...(jobs ? { pools: { jobs } } : {}),
      signal: controller.signal,
      sink,
    });
    return controller.signal.aborted ? 130 : summary.ok ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await queue?.close();
  }
}

function positiveInt(value: unknown, flag: string, zero = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(Number.isInteger(n) && (n > 0 || (zero && n === 0)))) throw new UserError(`${flag} must be a ${zero ? 'non-negative' : 'positive'} integer, got ${value}`);
  return n;
}

async function workerCommand(project: Project, values: Values): Promise<number> {
  const queues = String(values.queues ?? 'cpu').split(',').map((q) => q.trim()).filter(Boolean);
  const { runWorker } = await import('./worker.ts');
  const { redisUrl } = await import('./queue.ts');
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await runWorker(project, { url: redisUrl(values.redis as string | undefined), queues, concurrency: positiveInt(values.concurrency, '--concurrency') ?? 1, signal: controller.signal });
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function status(project: Project, values: Values): number {
  const ctx = assessContext(project, values.profile as string | undefined);
  const all = assessAll(ctx);
  project.statCache.save();
  if (values.json) {
    console.log(JSON.stringify(all.map(({ stage, state, reasons, key }) => ({ stage, state, reasons, ...(key ? { key } : {}) }))));
    return 0;
  }
  console.log(`profile ${ctx.profile}`);
  for (const a of all) {
    console.log(`${a.state.padEnd(8)} ${a.stage}${a.cached && a.state !== 'fresh' ? ' (cached in the store)' : ''}`);
    for (const r of a.reasons) console.log(`         ${r}`);
  }
  return 0;
}

function explain(project: Project, values: Values, positionals: string[]): number {
  const name = positionals[0];
  if (!name) throw new UserError('usage: vthinker explain STAGE [--profile P]');
  requireStage(project.graph, name);
  const ctx = assessContext(project, values.profile as string | undefined);
  const a = assessAll(ctx, name).find((x) => x.stage === name)!;
  project.statCache.save();
  const entry = ctx.lock.stages[name];
  console.log(`${name} (profile ${ctx.profile}): ${a.state}`);
  if (entry) console.log(`  locked key  ${shortDigest(entry.key)}`);
  if (a.key) console.log(`  current key ${shortDigest(a.key)}${a.cached ? ' (in the store)' : ''}`);
  console.log(a.reasons.length ? a.reasons.map((r) => `  - ${r}`).join('\n') : '  nothing changed');
  return 0;
}

function show(project: Project, values: Values, positionals: string[]): number {
  const name = positionals[0];
  if (!name) throw new UserError('usage: vthinker show STAGE [--profile P]');
  const def = requireStage(project.graph, name);
  const profile = profileParams(project, values.profile as string | undefined).profile;
  const entry = readLockfile(project.root, profile).stages[name];
  console.log(`${name}${def.description ? `: ${def.description}` : ''}`);
  if (!entry) return (console.log(`  not run in profile ${profile}`), 0);
  console.log(`  key ${entry.key}\n  duration ${entry.duration_s}s\n  outputs:`);
  for (const [k, o] of Object.entries(entry.outputs)) {
    console.log(`    ${k}: ${o.kind} ${workspacePath(project, profile, name, o.path)}  ${shortDigest(o.digest)}  ${o.files} file(s), ${o.size} bytes`);
  }
  if (Object.keys(entry.metrics).length) console.log(`  metrics:\n${Object.entries(entry.metrics).map(([k, v]) => `    ${k}: ${v}`).join('\n')}`);
  return 0;
}

function gc(project: Project, dry: boolean): number {
  // A run in progress holds a key lock and may not have written its lock-file entry yet: never collect under it.
  const guard = FileLock.tryAcquire(join(project.store.locks, 'gc.lock'), 'gc');
  if (!guard) throw new UserError(msg.gcRefusedBusy('another gc'));
  try {
    const busy = listKeyLocks(project);
    if (busy) throw new UserError(msg.gcRefusedBusy(busy));
    const keep = lockedKeys(project.root);
    if (dry) return (console.log(`gc would keep ${keep.size} run(s) referenced by lockfiles/`), 0);
    const freed = project.store.gc(keep);
    console.log(`gc: kept ${keep.size} run(s); removed ${freed.runs} run record(s) and ${freed.blobs} blob(s), ${(freed.bytes / 2 ** 20).toFixed(1)} MiB`);
    return 0;
  } finally {
    guard.release();
  }
}

function listKeyLocks(project: Project): string | undefined {
  for (const name of safeList(project.store.locks)) {
    if (!name.endsWith('.lock') || name === 'gc.lock' || name.startsWith('lockfile-')) continue;
    const holder = FileLock.tryAcquire(join(project.store.locks, name), 'gc probe', { staleMs: 30_000 });
    if (!holder) return `a run (${name})`;
    holder.release();
  }
  return undefined;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
