// The workspace: read-only views of each stage's outputs at artifacts/<lock name>/<stage>/<path>, hardlinks to store
// blobs. `status` says when one was deleted or edited; `run` puts it back from the store.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { msg } from './messages.ts';
import { workspacePath, type Project } from './project.ts';
import type { RunRecord } from './store.ts';

/** Why the workspace does not show the record's outputs ([] when it does). */
export function workspaceDiffers(project: Project, lockName: string, record: RunRecord): string[] {
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
