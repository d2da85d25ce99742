// The scheduler: walks the graph, decides per stage fresh / cached / run, runs ready stages in parallel within the
// resource pools, publishes results (store, then workspace, then lock file) and emits events for reporters.
// Every run is a resume: whatever finished before an interruption is found by key and not recomputed.
import { appendFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { assessContext, inputDigests, inputStages, storeDiffersFromLock, type AssessContext } from './assess.ts';
import { dataJobInputs } from './data-inputs.ts';
import { isCommandStage, upstreamInputs, type InputRef, type StageDef } from './define.ts';
import type { EngineEvent, EventSink } from './events.ts';
import { InlineExecutor, ProcessExecutor, type Executor, type JobHandle, type StageJob, type StageResult } from './executor.ts';
import type { Experiment } from './experiment.ts';
import { ancestorsAndSelf, requireStage } from './graph.ts';
import { computeKey, type KeyPreimage, type StageKey } from './key.ts';
import { prepareCheckpoint } from './checkpoint.ts';
import { FileLock } from './locks.ts';
import { ensureWorkspace, viewRun } from './workspace.ts';
import { entryFromRecord, lockfilePath, readLockfile, updateLockfile } from './lockfile.ts';
import { msg } from './messages.ts';
import { explainDiff } from './preimage.ts';
import { defaultPools, Pools, type Grant, type PoolSizes } from './pools.ts';
import { workspacePath, type Project } from './project.ts';
import { differingOutputs, type OutputRecord, type RunRecord } from './store.ts';

export interface RunOptions {
  profile?: string;
  /** Run a variant of the profile with these overrides, under its own lock (see experiment.ts). */
  experiment?: Experiment;
  /** Run only this stage and what it needs. */
  until?: string;
  /** Re-run these stages even when cached. */
  force?: readonly string[];
  dry?: boolean;
  /** Check every file of the workspace's views against the store, sealed or not (see view-seals.ts). */
  verify?: boolean;
  /** Keep running independent branches after a failure. */
  keepGoing?: boolean;
  executor?: 'process' | 'inline' | Executor;
  pools?: Partial<PoolSizes>;
  /** Heartbeat age after which another process's stage lock counts as abandoned. */
  lockStaleMs?: number;
  signal?: AbortSignal;
  sink: EventSink;
}

export type Outcome = 'fresh' | 'cached' | 'ran' | 'failed' | 'skipped' | 'would-run';

export interface RunSummary {
  ok: boolean;
  profile: string;
  outcomes: Record<string, Outcome>;
}

interface Decision {
  stage: StageDef;
  key: StageKey;
  preimage: KeyPreimage;
  reasons: string[];
  /** Input name -> the upstream output this run produced or restored. */
  inputs: Record<string, OutputRecord>;
}

export async function runPipeline(project: Project, options: RunOptions): Promise<RunSummary> {
  const started = performance.now();
  const actx = assessContext(project, options.profile, options.experiment);
  const { profile, lockName, lock } = actx;
  const { graph, store } = project;
  const lockStamp = () => statSync(lockfilePath(project.root, lockName), { throwIfNoEntry: false })?.mtimeMs;
  const lockBefore = lockStamp();
  if (options.until) requireStage(graph, options.until);
  for (const f of options.force ?? []) requireStage(graph, f);
  const forced = new Set(options.force ?? []);
  const names = options.until ? ancestorsAndSelf(graph, options.until) : graph.order;
  const sink = options.sink;
  const executor = pickExecutor(project, options.executor);
  const pools = new Pools({ ...defaultPools(), ...executor.pools?.(), ...options.pools });
  // `stopping`: launch nothing new (after a failure, running stages finish and are cached); `abort`: kill them too.
  const abort = new AbortController();
  options.signal?.addEventListener('abort', () => abort.abort(), { once: true });
  let stopping = false;
  store.cleanTmp();
  sink({ type: 'plan', profile, ...(options.experiment ? { experiment: options.experiment.name } : {}), stages: names, dry: !!options.dry });

  const outcomes = new Map<string, Outcome>();
  const outputsOf = new Map<string, Record<string, OutputRecord>>();
  const waiting: Decision[] = [];
  const running = new Map<string, Promise<void>>();
  let failed = false;

  const settle = (name: string, outcome: Outcome, event: EngineEvent) => {
    outcomes.set(name, outcome);
    sink(event);
  };

  // Lock-file updates of restored stages run alongside the loop; the run waits for them before it ends.
  const lockWrites: Promise<void>[] = [];
  const decide = (name: string): void => {
    const stage = graph.byName.get(name)!;
    const ups = graph.upstream.get(name) ?? [];
    const bad = ups.find((u) => ['failed', 'skipped'].includes(outcomes.get(u)!));
    if (bad) return settle(name, 'skipped', { type: 'skipped', stage: name, reason: msg.upstreamFailed(name, bad) });
    const pendingUp = ups.find((u) => outcomes.get(u) === 'would-run');
    if (pendingUp) return settle(name, 'would-run', { type: 'would-run', stage: name, reasons: [msg.reasonUpstreamPending(pendingUp)] });
    const preimage = actx.builder.full(stage, inputDigests(stage, (s) => outputsOf.get(s))!);
    const key = computeKey(preimage);
    const entry = lock.stages[name];
    const viewed = forced.has(name) ? undefined : viewRun(project, lockName, key, { restore: !options.dry, verify: !!options.verify });
    if (viewed) {
      const { record, reasons: restored } = viewed;
      outputsOf.set(name, record.outputs);
      // Same key, other bytes: the store's run came from a machine (or a nondeterministic op) that the lock's did not;
      // downstream reads the store's, so the lock must record them too.
      const differ = storeDiffersFromLock(entry, key, record);
      if (entry?.key === key && !differ.length) {
        return restored.length
          ? settle(name, 'cached', { type: 'cached', stage: name, key, reasons: restored })
          : settle(name, 'fresh', { type: 'fresh', stage: name, key });
      }
      const reasons = differ.length
        ? [msg.reasonStoreDiffers(differ)]
        : entry
          ? explainDiff(entry.preimage, preimage, inputStages(stage))
          : [msg.reasonNew()];
      if (!options.dry) lockWrites.push(publishLock(project, actx, record, sink).catch((error: Error) => fail(name, error.message)));
      return settle(name, 'cached', { type: 'cached', stage: name, key, reasons });
    }
    const reasons = forced.has(name)
      ? [msg.reasonForced()]
      : entry?.key === key
        ? [msg.reasonOutputsGone()]
        : entry
          ? explainDiff(entry.preimage, preimage, inputStages(stage))
          : [msg.reasonNew()];
    if (options.dry) return settle(name, 'would-run', { type: 'would-run', stage: name, reasons });
    const impossible = pools.impossible(stage.resources);
    if (impossible) return fail(name, msg.gpuUnavailable(name, impossible, pools.size.gpu));
    outcomes.set(name, 'would-run');
    const inputs = Object.fromEntries(upstreamInputs(stage).map(([k, r]) => [k, outputsOf.get(r.stage)![r.output]!]));
    waiting.push({ stage, key, preimage, reasons, inputs });
  };

  const fail = (name: string, error: string) => {
    failed = true;
    settle(name, 'failed', { type: 'failed', stage: name, error });
    if (!options.keepGoing) stopping = true;
  };

  const launch = (d: Decision, grant: Grant) => {
    const name = d.stage.name;
    const task = execute(project, actx, d, executor, sink, abort.signal, forced.has(name), grant.cpu, options.lockStaleMs)
      .then(({ record, outcome }) => {
        outputsOf.set(name, record.outputs);
        outcomes.set(name, outcome);
      })
      .catch((error: Error) => fail(name, abort.signal.aborted ? `interrupted (${error.message})` : error.message))
      .finally(() => {
        pools.give(grant);
        running.delete(name);
      });
    running.set(name, task);
  };

  const pending = new Set(names);
  const settled = (u: string) => outcomes.has(u) && (options.dry || outcomes.get(u) !== 'would-run');
  const decidePass = (): boolean => {
    let changed = false;
    for (const name of names) {
      if (!pending.has(name) || !(graph.upstream.get(name) ?? []).every(settled)) continue;
      pending.delete(name);
      changed = true;
      if (stopping || abort.signal.aborted) settle(name, 'skipped', { type: 'skipped', stage: name, reason: msg.runStopped() });
      else decide(name);
    }
    return changed;
  };
  for (;;) {
    let changed = decidePass();
    if ((stopping || abort.signal.aborted) && waiting.length) {
      for (const d of waiting.splice(0)) settle(d.stage.name, 'skipped', { type: 'skipped', stage: d.stage.name, reason: msg.runStopped() });
      changed = true;
    }
    for (let grant; waiting.length && (grant = pools.tryTake(waiting[0]!.stage.resources)); ) launch(waiting.shift()!, grant);
    if (running.size) await Promise.race(running.values());
    else if (!changed && !waiting.length) break;
  }
  await Promise.all(lockWrites);
  // Only stages this pipeline declares are written, so a lock that held no others at the start needs no pruning.
  const foreign = Object.keys(lock.stages).some((name) => !graph.byName.has(name));
  if (!options.dry && !options.until && !failed && foreign) await pruneLock(project, lockName);
  // A rewritten lock is parsed once more now, into the stat cache: the next command (a status, a no-op run) then
  // reads it as JSON instead of paying the YAML parse (smoke's first no-op after a run: 0.40 -> 0.21 s).
  if (lockStamp() !== lockBefore) readLockfile(project.root, lockName, project.statCache);
  project.statCache.save();
  project.views.save();
  if (executor !== options.executor) await executor.close?.();
  const counts: Record<string, number> = {};
  for (const o of outcomes.values()) counts[o] = (counts[o] ?? 0) + 1;
  sink({ type: 'done', ok: !failed, counts, durationS: (performance.now() - started) / 1000 });
  return { ok: !failed, profile, outcomes: Object.fromEntries(outcomes) };
}

function pickExecutor(project: Project, choice: RunOptions['executor']): Executor {
  if (choice && typeof choice === 'object') return choice;
  const Kind = choice === 'inline' ? InlineExecutor : ProcessExecutor;
  return new Kind(project.store, project.statCache, project.graph.byName);
}

/** Runs one decided stage under its key lock: another process may have produced it meanwhile (then: cached). */
async function execute(
  project: Project,
  actx: AssessContext,
  d: Decision,
  executor: Executor,
  sink: EventSink,
  signal: AbortSignal,
  forced: boolean,
  cpus: number,
  staleMs: number | undefined,
): Promise<{ record: RunRecord; outcome: Outcome }> {
  const { store } = project;
  const name = d.stage.name;
  const keyLock = await FileLock.acquire(join(store.locks, `${d.key}.lock`), `running ${name}`, {
    ...(staleMs ? { staleMs } : {}),
    onWait: (holder) => sink({ type: 'waiting', stage: name, holder }),
    onStale: (holder) => sink({ type: 'notice', message: msg.staleLockRecovered(name, holder) }),
  });
  try {
    const done = forced ? undefined : store.getRun(d.key);
    if (done) {
      ensureWorkspace(project, actx.lockName, done);
      await publishLock(project, actx, done, sink);
      sink({ type: 'cached', stage: name, key: d.key, reasons: ['produced meanwhile by another run'] });
      return { record: done, outcome: 'cached' };
    }
    const checkpointDir = d.stage.checkpoint ? prepareCheckpoint(store.checkpoints, actx.lockName, name, d.key) : undefined;
    const job: StageJob = {
      stage: name,
      key: d.key,
      profile: actx.profile,
      root: project.root,
      pipelinePath: project.pipelinePath,
      params: d.preimage.params,
      inputs: Object.fromEntries(
        Object.entries(d.inputs).map(([input, record]) => [
          input,
          { path: workspacePath(project, actx.lockName, (d.stage.inputs![input] as InputRef).stage, record.path), record },
        ]),
      ),
      ...(d.preimage.data ? { data: dataJobInputs(d.stage, d.preimage) } : {}),
      outputs: d.stage.outputs,
      cpus: Math.max(1, cpus),
      ...(d.stage.resources ? { resources: d.stage.resources } : {}),
      preimage: d.preimage,
      ...(checkpointDir ? { checkpointDir } : {}),
      ...(isCommandStage(d.stage) ? { command: d.stage.command } : {}),
    };
    // A job an earlier coordinator submitted for this key (it was interrupted) is followed, not submitted again.
    const journaled = forced ? undefined : store.getJob(d.key);
    const adopted = journaled && journaled.executor === executor.name ? await executor.adopt(d.key, journaled) : undefined;
    let handle: JobHandle;
    if (adopted) {
      handle = adopted.handle;
      sink({ type: 'notice', message: msg.jobAdopted(name, handle.id, adopted.state) });
      sink({ type: 'started', stage: name, key: d.key, reasons: d.reasons });
    } else {
      sink({ type: 'started', stage: name, key: d.key, reasons: d.reasons });
      handle = await executor.submit(job, signal);
      if (executor.durable) store.putJob(d.key, handle);
    }
    let result: StageResult;
    try {
      result = await executor.follow(handle, sink, signal);
    } catch (error) {
      if (signal.aborted) await executor.cancel(handle).catch(() => undefined);
      store.dropJob(d.key);
      throw error;
    }
    // A remote worker published into its view of the store: if that is not this store, say so (not ENOENT later).
    const absent = executor.durable ? Object.entries(result.outputs).find(([, o]) => !store.hasOutput(o)) : undefined;
    if (absent) {
      store.dropJob(d.key);
      throw new Error(msg.outputNotInStore(name, absent[0], absent[1].digest, store.dir));
    }
    const previous = actx.lock.stages[name];
    const record: RunRecord = { key: d.key, stage: name, preimage: d.preimage, ...result };
    store.putRun(record);
    ensureWorkspace(project, actx.lockName, record);
    await publishLock(project, actx, record, sink);
    appendJournal(project, actx.lockName, record, 'ran');
    store.dropJob(d.key);
    if (checkpointDir) rmSync(checkpointDir, { recursive: true, force: true });
    const changed = previous ? differingOutputs(previous.outputs, record.outputs) : [];
    const cutOff = !!previous && previous.key !== d.key && !changed.length;
    // Re-running a key the lock already records (outputs gone, a fresh clone, --force) is a reproduction check.
    const reproduced = previous?.key === d.key ? { reproduced: changed } : {};
    sink({ type: 'ran', stage: name, key: d.key, durationS: result.durationS, metrics: result.metrics, cutOff, ...reproduced });
    return { record, outcome: 'ran' };
  } finally {
    keyLock.release();
  }
}

async function publishLock(project: Project, actx: AssessContext, record: RunRecord, sink: EventSink): Promise<void> {
  const experiment = actx.experiment && { profile: actx.experiment.profile, set: actx.experiment.set };
  try {
    await updateLockfile(project.root, project.store.locks, actx.lockName, (stages) => {
      stages[record.stage] = entryFromRecord(record);
    }, experiment);
  } catch (error) {
    sink({ type: 'notice', message: `could not update the lock file: ${(error as Error).message}` });
    throw error;
  }
}

async function pruneLock(project: Project, profile: string): Promise<void> {
  await updateLockfile(project.root, project.store.locks, profile, (stages) => {
    for (const name of Object.keys(stages)) if (!project.graph.byName.has(name)) delete stages[name];
  });
}

function appendJournal(project: Project, profile: string, record: RunRecord, outcome: Outcome): void {
  mkdirSync(project.store.dir, { recursive: true });
  const line = {
    at: new Date().toISOString(),
    profile,
    stage: record.stage,
    key: record.key,
    outcome,
    durationS: record.durationS,
    params: record.preimage.params,
    metrics: record.metrics,
  };
  appendFileSync(project.store.journal, `${JSON.stringify(line)}\n`);
}
