// Shared test helpers: run the same computation on the cpu backend (the reference) and on a wasm kernel stack.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initCompute } from '../../vthinker/compute/setup.ts';
import type { ComputeInfo } from '../../vthinker/compute/options.ts';
import { rng } from '../../vthinker/util/random.ts';
import { relErr } from '../../vthinker/util/rel-err.ts';

export { relErr };

export type Stack = 'stock' | 'js' | 'native' | 'fused';

export function useStack(stack: Stack): Promise<ComputeInfo> {
  return initCompute({ backend: 'wasm', overrides: stack !== 'stock', native: stack === 'native' || stack === 'fused', fused: stack === 'fused' });
}

export async function useCpu(): Promise<void> {
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
}

/** Seeded normal values, so every case is reproducible. */
export function randn(shape: number[], seed: number | string): tf.Tensor {
  const r = rng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => r.normal()), shape);
}

/** Runs `f` (which builds its inputs from seeds) on cpu and on the stack; returns flat outputs and shapes. */
export async function compare(stack: Stack, f: () => tf.Tensor | tf.Tensor[]): Promise<{ err: number; shapes: string[] }> {
  await useCpu();
  const ref = tf.tidy(() => [f()].flat().map((t) => ({ data: t.dataSync().slice(), shape: t.shape.join('x') })));
  await useStack(stack);
  const got = tf.tidy(() => [f()].flat().map((t) => ({ data: t.dataSync().slice(), shape: t.shape.join('x') })));
  let err = 0;
  for (let i = 0; i < ref.length; i++) {
    if (got[i]!.shape !== ref[i]!.shape) throw new Error(`shape ${got[i]!.shape} != ${ref[i]!.shape} (output ${i})`);
    err = Math.max(err, relErr(got[i]!.data, ref[i]!.data));
  }
  return { err, shapes: got.map((g) => g.shape) };
}
