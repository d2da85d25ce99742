// The workspace: read-only views of each stage's outputs at artifacts/<lock name>/<stage>/<path>, hardlinks to store
// blobs. `status` says when one was deleted or edited; `run` puts it back from the store.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { msg } from './messages.ts';
import { workspacePath, type Project } from './project.ts';
import type { RunRecord } from './store.ts';

export interface ViewedRun {
  record: RunRecord;
  /** Why the workspace did not show the record's outputs ([] when it did; restored when asked to). */
  reasons: string[];
}

/**
 * The store's run of `key` and whether the workspace shows it; undefined when the store lacks the run or a byte of
 * it. A sealed view (view-seals.ts) is taken as shown; otherwise (and always with `verify`) every file is checked
 * against its blob, and a view found intact is sealed for the next command.
 */
export function viewRun(project: Project, lockName: string, key: string, options: { restore: boolean; verify?: boolean }): ViewedRun | undefined {
  const record = project.store.readRun(key);
  if (!record) return undefined;
  if (!options.verify && project.views.holds(lockName, record)) return { record, reasons: [] };
  const before = project.views.snapshot(lockName, record);
  if (!project.store.hasRun(record)) return undefined;
  const reasons = options.restore ? ensureWorkspace(project, lockName, record) : workspaceDiffers(project, lockName, record);
  if (!reasons.length && before) project.views.seal(lockName, record, before);
  return { record, reasons };
}

/** Why the workspace does not show the record's outputs ([] when it does). */
function workspaceDiffers(project: Project, lockName: string, record: RunRecord): string[] {
  return check(project, lockName, record, false);
}

/** Makes the workspace show the record's outputs; returns what was wrong with it (as `workspaceDiffers`). */
export function ensureWorkspace(project: Project, lockName: string, record: RunRecord): string[] {
  // Entries left from outputs the stage no longer declares (a renamed output) would read as current: remove them.
  const folder = workspacePath(project, lockName, record.stage, '');
  const kept = new Set(Object.values(record.outputs).map((o) => o.path.split('/')[0]!));
  for (const entry of existsSync(folder) ? readdirSync(folder) : []) {
    if (!kept.has(entry)) rmSync(join(folder, entry), { recursive: true, force: true });
  }
  return check(project, lockName, record, true);
}

function check(project: Project, lockName: string, record: RunRecord, restore: boolean): string[] {
  const reasons: string[] = [];
  for (const out of Object.values(record.outputs)) {
    const dest = workspacePath(project, lockName, record.stage, out.path);
    if (project.store.isMaterialised(out, dest, project.statCache, project.root)) continue;
    const shown = relative(project.root, dest);
    reasons.push(existsSync(dest) ? msg.reasonWorkspaceModified(shown) : msg.reasonWorkspaceDeleted(shown));
    if (restore) project.store.materialise(out, dest);
  }
  return reasons;
}
