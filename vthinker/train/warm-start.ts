// Shrink and perturb (Ash & Adams, "On warm-starting neural network training", NeurIPS 2020): the weights a stage
// hands on become shrink * trained + noise * fresh, where `fresh` is a seeded, untrained initialisation of the same
// network. Why: a network trained long on one task and fine-tuned on another generalises worse on the second than
// one trained from scratch, because its weights grew (8,000 steps of perception alignment left the tiny policy's
// norms 1.3-3x those of the same network trained on the curriculum from scratch) and Adam then moves them relatively
// less. Shrinking keeps each weight's direction (what was learnt) and restores the room to learn; the noise breaks
// the symmetries shrinking cannot.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createPolicy } from '../model/policy.ts';
import { readFloats, readManifest, variableArrays, writeTensorFiles, type WeightsManifest } from '../model/weights.ts';

export interface WarmStartParams {
  /** Factor on the trained weights, in (0, 1]; 1 with noise 0 hands the weights on unchanged. */
  shrink: number;
  /** Factor on a fresh initialisation added to them, >= 0. */
  noise: number;
}

export interface WarmStartReport {
  tensors: number;
  parameters: number;
  /** L2 norm of all weights, handed in and handed on; and of the fresh initialisation, for scale. */
  norm_in: number;
  norm_out: number;
  norm_fresh: number;
}

export function checkWarmStart(p: WarmStartParams): WarmStartParams {
  if (!(p.shrink > 0 && p.shrink <= 1)) throw new Error(`warm_start.shrink must be in (0, 1], got ${p.shrink}: 1 keeps the trained weights as they are`);
  if (!(p.noise >= 0)) throw new Error(`warm_start.noise must be >= 0, got ${p.noise}: 0 adds no fresh initialisation`);
  return p;
}

/** shrink * trained + noise * fresh, tensor by tensor (shapes must match). */
export function shrinkPerturb(trained: readonly Float32Array[], fresh: readonly Float32Array[], p: WarmStartParams): Float32Array[] {
  checkWarmStart(p);
  if (trained.length !== fresh.length) throw new Error(`shrinkPerturb: ${trained.length} trained tensors vs ${fresh.length} fresh ones`);
  return trained.map((t, i) => {
    const f = fresh[i]!;
    if (f.length !== t.length) throw new Error(`shrinkPerturb: tensor ${i} has ${t.length} trained values vs ${f.length} fresh ones`);
    const out = new Float32Array(t.length);
    for (let j = 0; j < t.length; j++) out[j] = p.shrink * t[j]! + p.noise * f[j]!;
    return out;
  });
}

const norm = (arrays: readonly Float32Array[]) => Math.sqrt(arrays.reduce((s, a) => s + a.reduce((t, v) => t + v * v, 0), 0));

/** The manifest's tensors as arrays, in manifest order. */
function readTensors(dir: string, m: WeightsManifest): Float32Array[] {
  const data = readFloats(join(dir, 'weights.bin'));
  return m.tensors.map((t) => data.slice(t.offset, t.offset + t.length));
}

/**
 * Writes the model directory `inDir` (weights, config, tokenizer) to `outDir` with shrunk and perturbed weights. The
 * fresh initialisation is the policy's own seeded one (vthinker/model/params.ts), so the result is a function of the
 * weights, `p` and `seed`.
 */
export function warmStart(inDir: string, outDir: string, p: WarmStartParams, seed: number): WarmStartReport {
  const manifest = readManifest(inDir);
  const trained = readTensors(inDir, manifest);
  const policy = createPolicy(manifest.config, seed);
  let fresh: Float32Array[];
  try {
    const byName = new Map(policy.params.names.map((n, i) => [n, i]));
    const freshAll = variableArrays(policy.variables);
    fresh = manifest.tensors.map((t) => {
      const i = byName.get(t.name);
      if (i === undefined || freshAll[i]!.length !== t.length) throw new Error(`${inDir}: tensor ${t.name} does not match the policy its config describes`);
      return freshAll[i]!;
    });
  } finally {
    policy.dispose();
  }
  const out = shrinkPerturb(trained, fresh, p);
  mkdirSync(outDir, { recursive: true });
  for (const f of ['config.json', 'tokenizer.json']) copyFileSync(join(inDir, f), join(outDir, f));
  writeTensorFiles(outDir, 'weights', { ...manifest, meta: { ...manifest.meta, warm_start: { ...p, seed } } }, out);
  return {
    tensors: out.length, parameters: out.reduce((n, a) => n + a.length, 0),
    norm_in: norm(trained), norm_out: norm(out), norm_fresh: norm(fresh),
  };
}
