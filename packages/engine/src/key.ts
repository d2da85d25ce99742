// The key of a stage run: sha256 of this canonical pre-image. Every field says why it is in the key; nothing in it
// depends on where the project lives or when it ran, so a laptop, CI and a GPU box share cache hits.
import { canonicalJson, sha256 } from './hash.ts';
import type { ParamValue } from './params.ts';

/** Bump to invalidate every key when the meaning of the pre-image changes. */
export const KEY_SCHEMA = 1;

export interface KeyPreimage {
  /** Pre-image schema version: a new engine that hashes differently must not reuse old entries. */
  schema: number;
  /** The stage's name: two stages with identical code and inputs still produce different things. */
  stage: string;
  /** What the stage promises to produce (output names, kinds, paths) and how inputs are wired; changing it changes results. */
  definition: {
    outputs: Record<string, string>;
    inputs: Record<string, string>;
    checkpoint: boolean;
    command?: string;
  };
  /** Normalised hashes of the stage module and its transitive local imports (comments and whitespace excluded). */
  code: Record<string, string>;
  /** Resolved versions of the packages that code imports: a library upgrade can change results. */
  packages: Record<string, string>;
  /** The params the stage declares, and only those: other params never re-run it. */
  params: Record<string, ParamValue>;
  /** Digests of the upstream outputs it reads (not upstream keys): identical upstream outputs give early cut-off. */
  inputs: Record<string, string>;
  /**
   * Project path -> digest of each data file or folder the stage reads: editing the data re-runs it. Absent (not
   * empty) when it reads none, so the keys of stages without data inputs are what they were before data inputs existed.
   */
  data?: Record<string, string>;
  /** Platform, Node major and declared facts such as the compute backend: floats differ across them. */
  runtime: Record<string, string>;
  /** Declared environment variables (null when unset). */
  env: Record<string, string | null>;
}

export type StageKey = string & { readonly __brand: 'StageKey' };

export function computeKey(preimage: KeyPreimage): StageKey {
  return sha256(canonicalJson(preimage)) as StageKey;
}

export function baseRuntime(): Record<string, string> {
  return { platform: `${process.platform}-${process.arch}`, node: process.versions.node.split('.')[0]! };
}
