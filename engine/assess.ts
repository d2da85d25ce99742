// Decides, without running anything, what each stage's state is and why: the engine behind `status`, `explain`
// and `run --dry`. A stage is fresh when its key (computed from upstream outputs in the lock) matches the lock and
// its outputs are in the store, byte for byte those the lock records; stale when the key differs (or the store holds
// other bytes for it, made on another machine); missing when it never ran or its bytes are gone.
import { upstreamInputs, type StageDef } from './define.ts';
import { ancestorsAndSelf } from './graph.ts';
import { computeKey, type KeyPreimage, type StageKey } from './key.ts';
import { readLockfile, type LockEntry, type LockFile } from './lockfile.ts';
import { msg } from './messages.ts';
import { explainDiff, PreimageBuilder } from './preimage.ts';
import { profileParams, type Project } from './project.ts';
import { differingOutputs, type OutputRecord, type RunRecord } from './store.ts';

export type StageState = 'fresh' | 'stale' | 'missing';

export interface Assessment {
  stage: string;
  state: StageState;
  reasons: string[];
  /** The key the stage would have, when every upstream is fresh. */
  key?: StageKey;
  /** True when the store already holds a run for that key (a run restores it without computing). */
  cached?: boolean;
  preimage?: KeyPreimage;
}

export interface AssessContext {
  project: Project;
  profile: string;
  lock: LockFile;
  builder: PreimageBuilder;
}

export function assessContext(project: Project, profileName?: string): AssessContext {
  const { profile, params } = profileParams(project, profileName);
  return { project, profile, lock: readLockfile(project.root, profile, project.statCache), builder: new PreimageBuilder(project, params) };
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

export function assessAll(ctx: AssessContext, until?: string): Assessment[] {
  const { project, lock, builder } = ctx;
  const names = until ? ancestorsAndSelf(project.graph, until) : project.graph.order;
  const results = new Map<string, Assessment>();
  for (const name of names) {
    const stage = project.graph.byName.get(name)!;
    const entry = lock.stages[name];
    const pendingUps = (project.graph.upstream.get(name) ?? []).filter((u) => results.get(u)?.state !== 'fresh');
    // With upstreams pending, explain against what the lock recorded for them (what a cut-off would reproduce).
    const inputs = inputDigests(stage, (s) => lock.stages[s]?.outputs);
    const reasons: string[] = pendingUps.map((u) => msg.reasonUpstreamPending(u));
    let assessment: Assessment;
    if (!inputs) {
      assessment = { stage: name, state: entry ? 'stale' : 'missing', reasons: entry ? reasons : [msg.reasonNew(), ...reasons] };
    } else {
      const preimage = builder.full(stage, inputs);
      const key = computeKey(preimage);
      const record = project.store.getRun(key);
      const cached = !!record;
      const differ = record ? storeDiffersFromLock(entry, key, record) : [];
      if (!entry) assessment = { stage: name, state: 'missing', reasons: [msg.reasonNew(), ...reasons], key, cached, preimage };
      else if (entry.key !== key) {
        reasons.unshift(...explainDiff(entry.preimage, preimage, inputStages(stage)));
        assessment = { stage: name, state: 'stale', reasons, key, cached, preimage };
      } else if (!cached) assessment = { stage: name, state: 'missing', reasons: [msg.reasonOutputsGone(), ...reasons], key, cached, preimage };
      else if (differ.length) assessment = { stage: name, state: 'stale', reasons: [msg.reasonStoreDiffers(differ), ...reasons], key, cached, preimage };
      else assessment = { stage: name, state: pendingUps.length ? 'stale' : 'fresh', reasons, key, cached, preimage };
    }
    results.set(name, assessment);
  }
  return names.map((n) => results.get(n)!);
}
