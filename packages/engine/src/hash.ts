// Canonical JSON and sha256: the two primitives every key and digest is built from.
import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every depth, so equal values always serialise to equal bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortDeep(value));
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortDeep(v);
    }
    return out;
  }
  return value;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Digests are written "sha256:<hex>" so a future algorithm can coexist. */
export type Digest = `sha256:${string}`;

export function digestOf(data: string | Uint8Array): Digest {
  return `sha256:${sha256(data)}`;
}

export function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}
