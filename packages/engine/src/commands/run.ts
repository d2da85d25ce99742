// `vthinker run`: runs what changed (every run is a resume); with --set, an experiment (see experiment.ts).
import { UserError } from '../errors.ts';
import type { EventSink } from '../events.ts';
import { resolveExperiment } from '../experiment.ts';
import type { Project } from '../project.ts';
import { jsonReporter } from '../reporters/json.ts';
import { terminalReporter } from '../reporters/terminal.ts';
import { runPipeline } from '../run.ts';
import { PROFILE, positiveInt, str, strings, VERIFY, VERIFY_HELP, type Command, type Values } from './command.ts';

export const run: Command = {
  help: `vthinker run [--profile P] [--set KEY=VALUE]... [--name NAME] [--until S] [--force S]... [--jobs N] [--dry]
             [--verify] [--keep-going] [--json] [--verbose] [--executor process|inline|queue] [--redis URL] [--retry N]

  Runs every stage whose key changed (code, params, data, upstream outputs) and restores the others from the store.
  Decisions and progress go to stderr; the summary line (or, with --json, every event) goes to stdout.

  --profile P        the params profile (default: default_profile in params.yaml)
  --set KEY=VALUE    run an experiment: the profile with this param overridden (repeatable; dotted keys; values
                     are YAML: 3, 0.5, true, [1, 2], {a: 1}). Shares every stage the change does not reach.
  --name NAME        name the experiment (default: exp-<hash of the overrides>); alone, re-runs a recorded one.
                     Its lock is lockfiles/exp/NAME.lock.yaml, its workspace artifacts/exp/NAME/.
  --until S          run only stage S and what it needs
  --force S          re-run S even when cached (repeatable)
  --jobs N           at most N stages at once
  --dry              say what would run; run nothing
${VERIFY_HELP}
  --keep-going       after a failure, keep running independent branches
  --json             events as JSON lines on stdout
  --verbose          show every log line the stages print
  --executor E       process (default: a child process per stage), inline, or queue (BullMQ workers)
  --redis URL        the queue's Redis (default VTHINKER_REDIS_URL or redis://127.0.0.1:6379)
  --retry N          with the queue, re-run a failing stage up to N times`,
  options: {
    ...PROFILE,
    set: { type: 'string', multiple: true },
    name: { type: 'string' },
    until: { type: 'string' },
    force: { type: 'string', multiple: true },
    jobs: { type: 'string', short: 'j' },
    dry: { type: 'boolean' },
    ...VERIFY,
    'keep-going': { type: 'boolean', short: 'k' },
    json: { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' },
    executor: { type: 'string' },
    redis: { type: 'string' },
    retry: { type: 'string' },
  },
  run: (project, values) => runCommand(project, values),
};

async function runCommand(project: Project, values: Values): Promise<number> {
  const sink: EventSink = values.json ? jsonReporter() : terminalReporter({ verbose: !!values.verbose });
  const jobs = positiveInt(values.jobs, '--jobs');
  const executor = str(values.executor) ?? 'process';
  if (!['process', 'inline', 'queue'].includes(executor)) throw new UserError(`--executor must be process, inline or queue, got ${executor}`);
  const retries = positiveInt(values.retry, '--retry', true);
  const experiment = resolveExperiment(project.root, {
    profile: str(values.profile),
    defaultProfile: project.paramsFile.defaultProfile,
    name: str(values.name),
    set: strings(values.set),
  });
  // Lazy: bullmq and ioredis load only for a queue run.
  const queue = executor === 'queue'
    ? await (await import('../queue.ts')).QueueExecutor.connect({ url: (await import('../queue.ts')).redisUrl(str(values.redis)), retries: retries ?? 0 })
    : undefined;
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const summary = await runPipeline(project, {
      ...(str(values.profile) ? { profile: str(values.profile)! } : {}),
      ...(experiment ? { experiment } : {}),
      ...(str(values.until) ? { until: str(values.until)! } : {}),
      force: strings(values.force),
      dry: !!values.dry,
      verify: !!values.verify,
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

export const worker: Command = {
  help: `vthinker worker --queues cpu,gpu,POOL [--concurrency N] [--redis URL]

  Serves the queue executor: takes jobs of the named queues, runs them against the shared store, publishes events.

  --queues Q         comma-separated queues: cpu, gpu, or a stage's named pool (default cpu)
  --concurrency N    jobs at once (default 1)
  --redis URL        the queue's Redis (default VTHINKER_REDIS_URL or redis://127.0.0.1:6379)`,
  options: { queues: { type: 'string' }, concurrency: { type: 'string' }, redis: { type: 'string' } },
  async run(project, values) {
    const queues = String(values.queues ?? 'cpu').split(',').map((q) => q.trim()).filter(Boolean);
    const { runWorker } = await import('../worker.ts');
    const { redisUrl } = await import('../queue.ts');
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      await runWorker(project, { url: redisUrl(str(values.redis)), queues, concurrency: positiveInt(values.concurrency, '--concurrency') ?? 1, signal: controller.signal });
      return 0;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
