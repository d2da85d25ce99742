// Data inputs: files and folders in the project tree that a stage declares in `inputs` (`file('data/data.csv')`).
// Their digests enter the key, so editing one re-runs the stages that read it and, through their outputs, what
// depends on them. Digests come through the stat cache: an unchanged file costs a stat, never a read. A file's digest
// is its blob digest and a folder's is its manifest's, as the store would compute them.
import { readFileSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { dataInputs, type OutputSpec, type StageDef } from './define.ts';
import { UserError } from './errors.ts';
import { digestOf, type Digest } from './hash.ts';
import type { KeyPreimage } from './key.ts';
import { msg } from './messages.ts';
import type { StatCache } from './stat-cache.ts';
import { walkFiles, type Manifest } from './store.ts';

/** A data input as a job carries it: where it is (project-relative) and the digest its key was computed with. */
export interface DataJobInput {
  kind: OutputSpec['kind'];
  path: string;
  digest: string;
}

/** The digest of one data input; a clear error naming the stage when it is missing or of the other kind. */
export function hashDataInput(root: string, stage: string, name: string, spec: OutputSpec, cache: StatCache): string {
  const abs = join(root, spec.path);
  const st = statSync(abs, { throwIfNoEntry: false });
  if (!st) throw new UserError(msg.dataMissing(stage, name, spec.path));
  const wantDir = spec.kind === 'dir';
  if (st.isDirectory() !== wantDir) throw new UserError(msg.dataWrongKind(stage, name, spec.path, wantDir ? 'folder' : 'file'));
  const fileDigest = (rel: string, path: string, stats: Stats) => cache.get('data', rel, stats, () => digestOf(readFileSync(path))) as Digest;
  if (!wantDir) return fileDigest(spec.path, abs, st);
  const entries: Manifest['entries'] = walkFiles(abs).map((rel) => {
    const path = join(abs, rel);
    const stats = statSync(path);
    return [rel, fileDigest(`${spec.path}/${rel}`, path, stats), stats.size];
  });
  return digestOf(JSON.stringify({ kind: 'dir', entries } satisfies Manifest));
}

/** Project path -> digest for every data input of the stage; undefined when it declares none (keys stay as they were). */
export function dataDigests(root: string, stage: StageDef, cache: StatCache): Record<string, string> | undefined {
  const declared = dataInputs(stage);
  if (!declared.length) return undefined;
  return Object.fromEntries(declared.map(([name, spec]) => [spec.path, hashDataInput(root, stage.name, name, spec, cache)]));
}

/** Input name -> what the job reads, from the digests its key was computed with. */
export function dataJobInputs(stage: StageDef, preimage: KeyPreimage): Record<string, DataJobInput> {
  return Object.fromEntries(dataInputs(stage).map(([name, spec]) => [name, { kind: spec.kind, path: spec.path, digest: preimage.data![spec.path]! }]));
}
