// Where gradient steps run (trainingCompute): CPU machines never probe and keep their id; a software adapter is
// taken only when forced (VTHINKER_BACKEND=webgpu), not when a GPU is merely offered (VTHINKER_GPUS=1).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { computeFingerprint, trainingCompute, trainingRuntime } from '../../vthinker/compute/fingerprint.ts';
import { resolveOptions } from '../../vthinker/compute/options.ts';
import { forgetAdapterProbe, probeAdapter } from '../../vthinker/compute/webgpu-adapter.ts';
import { requireWebgpu } from './lavapipe.ts';

test('no GPU offered: the CPU stack, its usual id and key, and no adapter probe', () => {
  forgetAdapterProbe();
  const t = trainingCompute({});
  assert.equal(t.options, {});
  assert.is(t.info.id, computeFingerprint());
  assert.equal(trainingRuntime({}), { compute: computeFingerprint() });
  assert.is(process.env.VTHINKER_WEBGPU_ADAPTER, undefined, 'nothing was probed');
});

test('VTHINKER_BACKEND=webgpu leaves the host stack (evaluation, sampling) on the CPU', () => {
  assert.is(resolveOptions({}, { VTHINKER_BACKEND: 'webgpu' }).backend, 'auto');
  assert.is(resolveOptions({ backend: 'webgpu' }, {}).backend, 'webgpu');
});

if (requireWebgpu()) {
  const software = probeAdapter().facts?.fallback;
  test('forced: webgpu on any adapter, and the key names it and the host stack', () => {
    const t = trainingCompute({ VTHINKER_BACKEND: 'webgpu' });
    assert.equal(t.options, { backend: 'webgpu' });
    assert.match(t.info.id, /^webgpu:/);
    assert.equal(trainingRuntime({ VTHINKER_BACKEND: 'webgpu' }), { compute: t.info.id, host: computeFingerprint() });
  });

  if (software) {
    test('a GPU offered but only a software adapter: training stays on the CPU, and says why', () => {
      const t = trainingCompute({ VTHINKER_GPUS: '1' });
      assert.equal(t.options, {});
      assert.is(t.info.id, computeFingerprint());
      assert.match(t.info.notes.join(' '), /software driver/);
    });
  }
}

test.run();
