// Checkpoint folders: artifacts/store/checkpoints/<profile>/<stage>/<key>/. A checkpoint belongs to one key: a new
// key (new params, code or inputs) must not resume from the old one, so preparing one drops the stage's others.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export function prepareCheckpoint(root: string, profile: string, stage: string, key: string): string {
  const parent = join(root, profile, stage.replace(/[^\w@-]/g, '_'));
  let entries: string[] = [];
  try {
    entries = readdirSync(parent);
  } catch {
    /* first checkpoint of this stage */
  }
  for (const other of entries) if (other !== key) rmSync(join(parent, other), { recursive: true, force: true });
  const dir = join(parent, key);
  mkdirSync(dir, { recursive: true });
  return dir;
}
