// The policy's train step on WebGPU (software driver) against the CPU path: step-0 gradients and SGD steps tightly,
// ClippedAdam by its losses and a bound in learning rates (bench/webgpu-parity.ts says why Adam is not tighter
// against the fused stack), and tightly against the tfjs cpu backend, whose Adam is the same composite formula.
// Each comparison runs in a child process, so this process's backend is never WebGPU.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { ParityReport } from '../../bench/webgpu-parity.ts';
import { requireWebgpu } from './lavapipe.ts';

const REPO = resolve(import.meta.dirname, '../..');

function parity(reference: 'default' | 'cpu'): ParityReport {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/webgpu-parity.ts', 'smoke', '8', reference], { cwd: REPO, encoding: 'utf8', timeout: 300_000 });
  assert.is(r.status, 0, r.stderr.slice(-3000));
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ParityReport;
}

if (requireWebgpu()) {
  test('against the default CPU stack: gradients and SGD within 1e-5, Adam losses within 1e-5 and weights within 1 lr', () => {
    const r = parity('default');
    assert.match(r.webgpu, /^webgpu:[a-z0-9._-]+\/[a-z0-9._-]+$/);
    assert.ok(r.gradRelErr <= 1e-5, `step-0 gradients: relative error ${r.gradRelErr}`);
    r.sgdRelErr.forEach((e, s) => assert.ok(e <= 1e-5, `SGD step ${s + 1}: weights relative error ${e}`));
    r.adamLossRelErr.forEach((e, s) => assert.ok(e <= 1e-5, `Adam step ${s + 1}: loss relative error ${e}`));
    r.adamMaxDiffLr.forEach((d, s) => assert.ok(d <= 1, `Adam step ${s + 1}: a weight differs by ${d} learning rates`));
  });

  test('against the tfjs cpu backend (the same Adam formula): Adam weights within 1e-5', () => {
    const r = parity('cpu');
    assert.ok(r.gradRelErr <= 1e-5, `step-0 gradients: relative error ${r.gradRelErr}`);
    r.adamRelErr.forEach((e, s) => assert.ok(e <= 1e-5, `Adam step ${s + 1}: weights relative error ${e}`));
  });
}

test.run();
