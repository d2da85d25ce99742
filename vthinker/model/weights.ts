// Weights as plain files: manifest.json (format, config, tensor names/shapes/offsets) + weights.bin (little-endian
// float32, in manifest order). Deterministic bytes: the same weights always give the same files.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { PolicyConfig } from './config.ts';
import { createPolicy, type Policy } from './policy.ts';

export const WEIGHTS_FORMAT = 'vthinker-policy-weights/1';

export interface WeightsManifest {
  format: string;
  config: PolicyConfig;
  tensors: Array<{ name: string; shape: number[]; offset: number; length: number }>;
  /** Free-form, JSON-serialisable; e.g. training step. Must itself be deterministic for deterministic files. */
  meta?: Record<string, unknown>;
}

/** Writes `bin` then `manifest` atomically (temp + rename) so a killed save never leaves a half-written pair. */
export function writeTensorFiles(dir: string, stem: string, manifest: object, arrays: readonly Float32Array[]): void {
  mkdirSync(dir, { recursive: true });
  const total = arrays.reduce((n, a) => n + a.length, 0);
  const buf = Buffer.alloc(total * 4);
  let off = 0;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) buf.writeFloatLE(a[i]!, (off + i) * 4);
    off += a.length;
  }
  atomicWrite(join(dir, `${stem}.bin`), buf);
  atomicWrite(join(dir, `${stem}.json`), JSON.stringify(manifest, null, 1) + '\n');
}

export function atomicWrite(path: string, data: string | Buffer): void {
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
}

export function readFloats(path: string): Float32Array {
  const buf = readFileSync(path);
  const out = new Float32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

export function variableArrays(vars: readonly tf.Variable[]): Float32Array[] {
  return vars.map((v) => v.dataSync() as Float32Array);
}

export function saveWeights(policy: Policy, dir: string, meta?: Record<string, unknown>): void {
  const arrays = variableArrays(policy.variables);
  let offset = 0;
  const tensors = policy.variables.map((v, i) => {
    const entry = { name: policy.params.names[i]!, shape: v.shape, offset, length: v.size };
    offset += v.size;
    return entry;
  });
  const manifest: WeightsManifest = { format: WEIGHTS_FORMAT, config: policy.config, tensors, ...(meta ? { meta } : {}) };
  writeTensorFiles(dir, 'weights', manifest, arrays);
}

export function readManifest(dir: string): WeightsManifest {
  const m = JSON.parse(readFileSync(join(dir, 'weights.json'), 'utf8')) as WeightsManifest;
  if (m.format !== WEIGHTS_FORMAT) throw new Error(`${dir}: not policy weights (format ${m.format})`);
  return m;
}

/** Copies saved weights into an existing policy (names and shapes must match). */
export function assignWeights(policy: Policy, dir: string): WeightsManifest {
  const m = readManifest(dir);
  const data = readFloats(join(dir, 'weights.bin'));
  const byName = new Map(m.tensors.map((t) => [t.name, t]));
  policy.variables.forEach((v, i) => {
    const name = policy.params.names[i]!;
    const t = byName.get(name);
    if (!t || t.shape.join('x') !== v.shape.join('x')) throw new Error(`${dir}: no tensor ${name} of shape ${v.shape.join('x')}`);
    tf.tidy(() => v.assign(tf.tensor(data.subarray(t.offset, t.offset + t.length), v.shape, 'float32')));
  });
  return m;
}

/** A new policy with the saved config and weights. */
export function loadWeights(dir: string): Policy {
  const m = readManifest(dir);
  const policy = createPolicy(m.config, 0);
  assignWeights(policy, dir);
  return policy;
}
