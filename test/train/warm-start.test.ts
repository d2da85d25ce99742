// The hand-over from perception to rl1 (train/warm-start.ts): shrink * trained + noise * fresh, with the fresh part
// the policy's own seeded initialisation; identity at shrink 1 / noise 0; deterministic under the seed; bad params
// and mismatched checkpoints rejected with a message saying what to change.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCompute } from '../../vthinker/compute/setup.ts';
import { tinyConfig, tok } from '../curriculum/fixtures/tiny.ts';
import { createPolicy } from '../../vthinker/model/policy.ts';
import { loadWeights, readFloats, readManifest, variableArrays } from '../../vthinker/model/weights.ts';
import { writeModel } from '../../vthinker/train/cold-start.ts';
import { checkWarmStart, shrinkPerturb, warmStart } from '../../vthinker/train/warm-start.ts';

let dir = '';
let trained = '';
test.before(async () => {
  await initCompute();
  dir = mkdtempSync(join(tmpdir(), 'vt-warm-'));
  trained = join(dir, 'trained');
  // A "trained" model: the policy of seed 11, so it differs from the seed-5 fresh initialisation used below.
  const policy = createPolicy(tinyConfig({ dim: 16 }), 11);
  writeModel(policy, tok, trained, { stage: 'perception' });
  policy.dispose();
});
test.after(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (d: string, f: string) => readFileSync(join(d, f));

test('shrinkPerturb: shrink * trained + noise * fresh, element by element', () => {
  const out = shrinkPerturb([new Float32Array([2, -4]), new Float32Array([1])], [new Float32Array([10, 20]), new Float32Array([-30])], { shrink: 0.5, noise: 0.1 });
  assert.equal(Array.from(out[0]!), [Math.fround(1 + 1), Math.fround(-2 + 2)]);
  assert.equal(Array.from(out[1]!), [Math.fround(0.5 - 3)]);
  assert.throws(() => shrinkPerturb([new Float32Array(2)], [new Float32Array(3)], { shrink: 1, noise: 0 }), /tensor 0 has 2 trained values vs 3/);
  assert.throws(() => shrinkPerturb([new Float32Array(2)], [], { shrink: 1, noise: 0 }), /1 trained tensors vs 0/);
});

test('checkWarmStart: shrink in (0, 1], noise >= 0, with what the value means', () => {
  for (const shrink of [0, -0.5, 1.5, Number.NaN]) assert.throws(() => checkWarmStart({ shrink, noise: 0 }), /warm_start.shrink must be in \(0, 1\].*1 keeps the trained weights/);
  assert.throws(() => checkWarmStart({ shrink: 1, noise: -0.1 }), /warm_start.noise must be >= 0.*0 adds no fresh/);
  assert.equal(checkWarmStart({ shrink: 1, noise: 0 }), { shrink: 1, noise: 0 });
});

test('warmStart: shrink 1 and noise 0 hand the weights on unchanged, with config and tokenizer', () => {
  const out = join(dir, 'identity');
  const report = warmStart(trained, out, { shrink: 1, noise: 0 }, 5);
  assert.equal(bytes(out, 'weights.bin'), bytes(trained, 'weights.bin'));
  assert.equal(bytes(out, 'config.json'), bytes(trained, 'config.json'));
  assert.equal(bytes(out, 'tokenizer.json'), bytes(trained, 'tokenizer.json'));
  assert.ok(Math.abs(report.norm_out - report.norm_in) < 1e-6 * report.norm_in);
  assert.equal(readManifest(out).meta?.warm_start, { shrink: 1, noise: 0, seed: 5 });
});

test('warmStart: the result is the formula over the seeded fresh initialisation, and loads as a policy', () => {
  const out = join(dir, 'half');
  const report = warmStart(trained, out, { shrink: 0.5, noise: 0.25 }, 5);
  const fresh = createPolicy(readManifest(trained).config, 5);
  const expected = shrinkPerturb([readFloats(join(trained, 'weights.bin'))], [Float32Array.from(variableArrays(fresh.variables).flatMap((a) => Array.from(a)))], { shrink: 0.5, noise: 0.25 })[0]!;
  fresh.dispose();
  assert.equal(Array.from(readFloats(join(out, 'weights.bin'))), Array.from(expected));
  assert.ok(report.norm_out < report.norm_in, `norm ${report.norm_in} -> ${report.norm_out}`);
  assert.equal(report.parameters, expected.length);
  const policy = loadWeights(out);
  assert.equal(policy.params.count, expected.length);
  policy.dispose();
});

test('warmStart: deterministic under the seed; another seed perturbs differently', () => {
  const [a, b, c] = ['a', 'b', 'c'].map((n) => join(dir, `seed-${n}`));
  warmStart(trained, a!, { shrink: 0.5, noise: 0.1 }, 5);
  warmStart(trained, b!, { shrink: 0.5, noise: 0.1 }, 5);
  warmStart(trained, c!, { shrink: 0.5, noise: 0.1 }, 6);
  assert.equal(bytes(a!, 'weights.bin'), bytes(b!, 'weights.bin'));
  assert.not.equal(bytes(a!, 'weights.bin'), bytes(c!, 'weights.bin'));
});

test('warmStart: a checkpoint whose tensors do not match its config is named', () => {
  const broken = join(dir, 'broken');
  warmStart(trained, broken, { shrink: 1, noise: 0 }, 5);
  const m = readManifest(broken);
  m.tensors[0]!.name = 'conv9/w';
  writeFileSync(join(broken, 'weights.json'), JSON.stringify(m));
  assert.throws(() => warmStart(broken, join(dir, 'never'), { shrink: 1, noise: 0 }, 5), /broken: tensor conv9\/w does not match/);
});

test.run();
