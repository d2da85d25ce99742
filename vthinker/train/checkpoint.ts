// Training checkpoints: <root>/step-NNNNNNN/ holds weights.{json,bin} (loadable by loadWeights) and
// optimizer.{json,bin} (Adam moments and t); <root>/latest.json names the newest complete one. The step directory
// is written first and latest.json last (atomically), so a kill at any point leaves the previous checkpoint valid.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { assignWeights, atomicWrite, readFloats, saveWeights, writeTensorFiles } from '../model/weights.ts';
import type { Policy } from '../model/policy.ts';
import type { ClippedAdam } from './adam.ts';

export interface Latest {
  step: number;
  dir: string;
}

export const stepDirName = (step: number) => `step-${String(step).padStart(7, '0')}`;

/** Writes the model and optimizer state after `step` completed steps into root/step-N (not yet "latest"). */
export function writeCheckpointState(root: string, step: number, policy: Policy, opt: ClippedAdam): string {
  const dir = join(root, stepDirName(step));
  rmSync(dir, { recursive: true, force: true });
  const arrays = opt.stateArrays();
  writeTensorFiles(dir, 'optimizer', { format: 'vthinker-adam-state/1', t: opt.t, step, arrays: arrays.map((a) => a.length) }, arrays);
  saveWeights(policy, dir, { step });
  return dir;
}

/** Marks root/step-N as the newest checkpoint and removes older step directories. */
export function commitCheckpoint(root: string, step: number, extra: Record<string, unknown> = {}): void {
  const dirName = stepDirName(step);
  // The loop's own state (metrics so far) joins the replica-written files before the checkpoint becomes "latest".
  atomicWrite(join(root, dirName, 'extra.json'), JSON.stringify(extra));
  atomicWrite(join(root, 'latest.json'), JSON.stringify({ step, dir: dirName } satisfies Latest) + '\n');
  for (const name of readdirSync(root)) if (name.startsWith('step-') && name !== dirName) rmSync(join(root, name), { recursive: true, force: true });
}

export function readLatest(root: string): (Latest & { path: string; extra: Record<string, unknown> }) | undefined {
  const file = join(root, 'latest.json');
  if (!existsSync(file)) return undefined;
  const latest = JSON.parse(readFileSync(file, 'utf8')) as Latest;
  const path = join(root, latest.dir);
  const extraFile = join(path, 'extra.json');
  const extra = existsSync(extraFile) ? (JSON.parse(readFileSync(extraFile, 'utf8')) as Record<string, unknown>) : {};
  return { ...latest, path, extra };
}

/** Restores weights, and the optimizer state when the directory has one (a checkpoint rather than plain weights). */
export function restore(dir: string, policy: Policy, opt?: ClippedAdam): { step: number } {
  const m = assignWeights(policy, dir);
  const optFile = join(dir, 'optimizer.json');
  if (opt && existsSync(optFile)) {
    const meta = JSON.parse(readFileSync(optFile, 'utf8')) as { t: number; arrays: number[] };
    const flat = readFloats(join(dir, 'optimizer.bin'));
    let off = 0;
    opt.setState(meta.t, meta.arrays.map((n) => flat.subarray(off, (off += n))));
  }
  return { step: Number(m.meta?.step ?? 0) };
}
