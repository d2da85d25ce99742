// Decides, without running anything, what each stage's state is and why: the engine behind `status`, `explain`
// and `run --dry`. A stage is fresh when its key (computed from upstream outputs in the lock) matches the lock and
// its outputs are in the store, byte for byte those the lock records; stale when the key differs (or the store holds
// other bytes for it, made on another machine); missing when it never ran or its bytes are gone.
import { upstreamInputs, type StageDef } from './define.ts';
import { applySets, experimentLock, type Experiment } from './experiment.ts';
import { ancestorsAndSelf } from './graph.ts';
import { computeKey, type KeyPreimage, type StageKey } from './key.ts';
import { readLockfile, type LockEntry, type LockFile } from './lockfile.ts';
import { msg } from './messages.ts';
import { explainDiff, PreimageBuilder } from './preimage.ts';
import { profileParams, type Project } from './project.ts';
import { viewRun } from './workspace.ts';
import { differingOutputs, type OutputRecord, type RunRecord } from './store.ts';

export type StageState = 'fresh' | 'stale' | 'missing';

export interface Assessment {
  stage: string;
  state: StageState;
  reasons: string[];
  /** The key the stage would have; absent while an upstream must run first (see `pendingUpstream`). */
  key?: StageKey;
  /** Upstream stages that must run before this stage's key is known. */
  pendingUpstream?: string[];
  /** Up to date but its workspace copy was deleted or edited: a run restores it, its outputs stay what the lock says. */
  restoresWorkspace?: boolean;
  /** True when the store already holds a run for that key (a run restores it without computing). */
  cached?: boolean;
  preimage?: KeyPreimage;
}

export interface AssessContext {
  project: Project;
  /** The params profile (what stages see as ctx.profile). */
  profile: string;
  /** Where the lock file and the workspace live: the profile, or `exp/<name>` for an experiment. */
  lockName: string;
  experiment?: Experiment;
  lock: LockFile;
  builder: PreimageBuilder;
}

/** The context of a profile, or of an experiment (its profile's params with its overrides applied). */
export function assessContext(project: Project, profileName?: string, experiment?: Experiment): AssessContext {
  const { profile, params } = profileParams(project, experiment?.profile ?? profileName);
  const lockName = experiment ? experimentLock(experiment.name) : profile;
  return {
    project,
    profile,
    lockName,
    ...(experiment ? { experiment } : {}),
    lock: readLockfile(project.root, lockName, project.statCache),
    builder: new PreimageBuilder(project, experiment ? applySets(params, experiment.set) : params),
  };
}

export const inputStages = (stage: StageDef): Record<string, string> =>
  Object.fromEntries(upstreamInputs(stage).map(([k, r]) => [k, r.stage]));

/** Input name -> digest, from the given upstream outputs; undefined when some upstream output is unknown. */
export function inputDigests(stage: StageDef, outputsOf: (stage: string) => Record<string, OutputRecord> | undefined): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [name, ref] of upstreamInputs(stage)) {
    const rec = outputsOf(ref.stage)?.[ref.output];
    if (!rec) return undefined;
    out[name] = rec.digest;
  }
  return out;
}

/** Outputs whose bytes in the store's run of `key` differ from the lock's record of the same key (made on another
 *  machine, or by a nondeterministic step); [] when the lock records another key or nothing. `status` and `run` share it. */
export function storeDiffersFromLock(entry: LockEntry | undefined, key: string, record: RunRecord): string[] {
  return entry?.key === key ? differingOutputs(entry.outputs, record.outputs) : [];
}

/** Each stage's state; `verify` checks every workspace file, sealed or not (see view-seals.ts). */
export function assessAll(ctx: AssessContext, until?: string, verify = false): Assessment[] {
  const { project, lock, builder } = ctx;
  const names = until ? ancestorsAndSelf(project.graph, until) : project.graph.order;
  const results = new Map<string, Assessment>();
  for (const name of names) {
    const stage = project.graph.byName.get(name)!;
    const entry = lock.stages[name];
    const pendingUps = (project.graph.upstream.get(name) ?? []).filter((u) => results.get(u)?.state !== 'fresh' && !results.get(u)?.restoresWorkspace);
    // With upstreams pending, explain against what the lock recorded for them (what a cut-off would reproduce).
    const inputs = inputDigests(stage, (s) => lock.stages[s]?.outputs);
    const reasons: string[] = pendingUps.map((u) => msg.reasonUpstreamPending(u));
    let assessment: Assessment;
    if (!inputs) {
      assessment = { stage: name, state: entry ? 'stale' : 'missing', reasons: entry ? reasons : [msg.reasonNew(), ...reasons] };
    } else {
      const preimage = builder.full(stage, inputs);
      const key = computeKey(preimage);
      const viewed = viewRun(project, ctx.lockName, key, { restore: false, verify });
      const record = viewed?.record;
      const cached = !!record;
      const differ = record ? storeDiffersFromLock(entry, key, record) : [];
      if (!entry) assessment = { stage: name, state: 'missing', reasons: [msg.reasonNew(), ...reasons], key, cached, preimage };
      else if (entry.key !== key) {
        reasons.unshift(...explainDiff(entry.preimage, preimage, inputStages(stage)));
        assessment = { stage: name, state: 'stale', reasons, key, cached, preimage };
      } else if (!cached) assessment = { stage: name, state: 'missing', reasons: [msg.reasonOutputsGone(), ...reasons], key, cached, preimage };
      else if (differ.length) assessment = { stage: name, state: 'stale', reasons: [msg.reasonStoreDiffers(differ), ...reasons], key, cached, preimage };
      else {
        const workspace = viewed!.reasons;
        reasons.unshift(...workspace);
        const restoresWorkspace = workspace.length > 0 && !pendingUps.length;
        assessment = { stage: name, state: reasons.length ? 'stale' : 'fresh', reasons, key, cached, preimage, ...(restoresWorkspace ? { restoresWorkspace } : {}) };
      }
    }
    results.set(name, shown(assessment, pendingUps));
  }
  return names.map((n) => results.get(n)!);
}

/** The assessment as shown: with an upstream still to run, the key computed from the lock's upstream outputs is the
 *  locked one whatever happens, so it is not shown as the stage's key (it is not known until the upstream has run). */
function shown(a: Assessment, pendingUps: readonly string[]): Assessment {
  if (!pendingUps.length) return a;
  const { key: _key, cached: _cached, ...rest } = a;
  return { ...rest, pendingUpstream: [...pendingUps] };
}
