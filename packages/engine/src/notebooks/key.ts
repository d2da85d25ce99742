// The key of an executed notebook: sha256 of a canonical pre-image, like a stage key. Everything that can change
// what the executed copy holds is in it, and nothing else (no paths outside the project, no mtimes, no clock).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CodeHasher } from '../code-hash.ts';
import { UserError } from '../errors.ts';
import { canonicalJson, sha256 } from '../hash.ts';
import { readLockfile } from '../lockfile.ts';
import { normalisedCells, type Notebook } from './ipynb.ts';
import type { NotebookInputs } from './inputs.ts';

export interface NotebookPreimage {
  /** Project-relative path: two notebooks with the same cells are still two notebooks. */
  notebook: string;
  /** The profile whose artifacts the notebook reads (it is also told the profile). */
  profile: string;
  /** Hash of the normalised cells (kinds and sources; not outputs, counts or metadata). */
  cells: string;
  /** `stage.output` -> digest in the profile's lock file: the data the notebook shows. */
  artifacts: Record<string, string>;
  /** Hash of the run journal, when the notebook reads it with `runs()`. */
  journal?: string;
  /** Normalised hashes of the local modules the cells import, transitively. */
  code: Record<string, string>;
  /** Resolved versions of the packages that code imports. */
  packages: Record<string, string>;
  /** Kernel name and version: another kernel may print differently. */
  kernel: string;
  /** Hash of the executor script: it decides which of the kernel's outputs are kept. */
  executor: string;
}

export interface KeyContext {
  root: string;
  profile: string;
  journalPath: string;
  hasher: CodeHasher;
  kernel: string;
  executor: string;
}

export function notebookPreimage(path: string, nb: Notebook, inputs: NotebookInputs, ctx: KeyContext): NotebookPreimage {
  const rel = path.slice(ctx.root.length + 1).split('\\').join('/');
  const lock = readLockfile(ctx.root, ctx.profile);
  const artifacts: Record<string, string> = {};
  for (const name of inputs.artifacts) {
    const dot = name.lastIndexOf('.');
    const record = lock.stages[name.slice(0, dot)]?.outputs[name.slice(dot + 1)];
    if (!record) {
      throw new UserError(`${rel} reads ${name}, which profile ${ctx.profile} has not produced: run \`npx vthinker run --profile ${ctx.profile}\` first`);
    }
    artifacts[name] = record.digest;
  }
  const entries = inputs.imports.map((s) => resolve(dirname(path), s)).filter((p) => existsSync(p));
  const { files, packages } = ctx.hasher.fingerprint(entries);
  return {
    notebook: rel,
    profile: ctx.profile,
    cells: sha256(canonicalJson(normalisedCells(nb))),
    artifacts,
    ...(inputs.journal ? { journal: existsSync(ctx.journalPath) ? sha256(readFileSync(ctx.journalPath)) : 'none' } : {}),
    code: files,
    packages,
    kernel: ctx.kernel,
    executor: ctx.executor,
  };
}

export const notebookKey = (p: NotebookPreimage): string => sha256(canonicalJson(p));

/** What changed between two pre-images, in words (for "executed because ..."). */
export function changes(before: NotebookPreimage | undefined, now: NotebookPreimage): string[] {
  if (!before) return ['never executed'];
  const out: string[] = [];
  if (before.cells !== now.cells) out.push('cells changed');
  for (const k of new Set([...Object.keys(before.artifacts), ...Object.keys(now.artifacts)])) {
    if (before.artifacts[k] !== now.artifacts[k]) out.push(`artifact ${k} changed`);
  }
  if (before.journal !== now.journal) out.push('run journal changed');
  for (const k of new Set([...Object.keys(before.code), ...Object.keys(now.code)])) {
    if (before.code[k] !== now.code[k]) out.push(`code ${k} changed`);
  }
  if (canonicalJson(before.packages) !== canonicalJson(now.packages)) out.push('package versions changed');
  if (before.kernel !== now.kernel) out.push(`kernel ${before.kernel} -> ${now.kernel}`);
  if (before.executor !== now.executor) out.push('executor changed');
  return out.length ? out : ['inputs changed'];
}
