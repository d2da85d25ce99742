// Backend selection, the cache-key fingerprint, and the BLAS environment.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs-core';
import { blasCoreType } from '../../vthinker/compute/blas-env.ts';
import { nativeAddonBuilt } from '../../vthinker/compute/native-addon.ts';
import { resolveOptions } from '../../vthinker/compute/options.ts';
import { computeFingerprint, describeCompute, initCompute } from '../../vthinker/compute/setup.ts';
import { matmulGflops } from '../../vthinker/compute/matmul-rate.ts';

test('describeCompute is fast, and initCompute picks what it predicted (tfjs-node absent: wasm)', async () => {
  const started = performance.now();
  for (let i = 0; i < 10; i++) describeCompute();
  assert.ok((performance.now() - started) / 10 < 20, 'under 20 ms a call');
  const info = await initCompute();
  assert.is(info.id, computeFingerprint());
  assert.is(info.backend, 'wasm');
  assert.is(info.id, nativeAddonBuilt() ? 'wasm+fused-openblas' : 'wasm+js');
  assert.is(tf.getBackend(), 'wasm');
  assert.is((await initCompute()).id, info.id, 'idempotent');
});

test('the id follows the options', async () => {
  assert.is((await initCompute({ backend: 'wasm', native: false })).id, 'wasm+js');
  assert.is((await initCompute({ backend: 'wasm', overrides: false })).id, 'wasm');
  if (nativeAddonBuilt()) assert.is((await initCompute({ backend: 'wasm', fused: false })).id, 'wasm+native-openblas');
  assert.is(resolveOptions({}, { VTHINKER_FUSED: '0' }).fused, false);
  assert.is(computeFingerprint({ backend: 'cpu' }), 'cpu');
  assert.is(resolveOptions({}, { VTHINKER_NATIVE: '0' }).native, false);
  assert.is(resolveOptions({}, { VTHINKER_BACKEND: 'cpu' }).backend, 'cpu');
  assert.throws(() => resolveOptions({ backend: 'gpu' as 'cpu' }), /Unknown compute backend "gpu"/);
});

test('asking for tensorflow where tfjs-node is not installed says so', async () => {
  assert.throws(() => describeCompute({ backend: 'tensorflow' }), /neither @tensorflow\/tfjs-node-gpu nor @tensorflow\/tfjs-node/);
  const error = await initCompute({ backend: 'tensorflow' }).then(() => null, (e: Error) => e);
  assert.match(String(error), /tfjs-node not installed/);
});

test('the OpenBLAS core comes from the CPU flags', () => {
  assert.is(blasCoreType('flags\t\t: fpu sse avx2 avx512f avx512bw\n'), 'SKYLAKEX');
  assert.is(blasCoreType('flags\t\t: fpu sse avx avx2 fma\n'), 'HASWELL');
  assert.is(blasCoreType('flags\t\t: fpu sse sse2\n'), undefined);
  assert.is(blasCoreType(''), undefined);
});

test('the matmul rate is a finite positive GFLOP/s and leaves no tensor behind', async () => {
  await initCompute();
  const tensors = tf.memory().numTensors;
  const rate = matmulGflops(0.05);
  assert.ok(Number.isFinite(rate) && rate > 0, `rate ${rate}`);
  assert.is(tf.memory().numTensors, tensors);
});

test.run();
