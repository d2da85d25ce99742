import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { batchAdvantages, clippedSurrogate, groupAdvantages, grpoLoss, grpoLossGradient, isClipped, k3, type GrpoSequence } from '../../vthinker/policy/grpo.ts';
import { rng } from '../../vthinker/util/random.ts';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test('advantages: standardised with the population std and eps', () => {
  const a = groupAdvantages([1, 0]);
  // mean 0.5, population std 0.5
  close(a[0]!, 0.5 / (0.5 + 1e-4));
  close(a[1]!, -0.5 / (0.5 + 1e-4));
  const b = groupAdvantages([2.3, -0.5, 0.5, 2.3]);
  close(b.reduce((x, y) => x + y, 0), 0);
  assert.equal(groupAdvantages([]), []);
});

test('advantages: equal rewards (any group size, including 1) give exact zeros', () => {
  assert.equal(groupAdvantages([0.7, 0.7, 0.7]), [0, 0, 0]);
  assert.equal(groupAdvantages([-1]), [0]);
  assert.equal(batchAdvantages([1, 1, 0, 1], 2), [0, 0, ...groupAdvantages([0, 1])]);
  assert.throws(() => batchAdvantages([1, 2, 3], 2), /groups of 2/);
});

test('clipping, positive advantage: gains above 1+e are cut, losses are not', () => {
  const A = 2;
  close(clippedSurrogate(Math.log(1.1), 0, A), 1.1 * A); // inside the range
  close(clippedSurrogate(Math.log(1.5), 0, A), 1.2 * A); // capped at 1+e
  assert.ok(isClipped(Math.log(1.5), 0, A));
  close(clippedSurrogate(Math.log(0.5), 0, A), 0.5 * A); // min keeps the pessimistic unclipped value
  assert.not.ok(isClipped(Math.log(0.5), 0, A));
});

test('clipping, negative advantage: ratios below 1-e are cut, above are not', () => {
  const A = -1;
  close(clippedSurrogate(Math.log(0.5), 0, A), 0.8 * A);
  assert.ok(isClipped(Math.log(0.5), 0, A));
  close(clippedSurrogate(Math.log(1.5), 0, A), 1.5 * A);
  assert.not.ok(isClipped(Math.log(1.5), 0, A));
  close(clippedSurrogate(-3, -3, A), A); // ratio 1
  close(clippedSurrogate(Math.log(1.5), 0, 0), 0);
});

test('k3 is >= 0 and 0 exactly when new = ref', () => {
  const r = rng(7);
  for (let i = 0; i < 1000; i++) {
    const a = r.uniform(-20, 0);
    const b = r.uniform(-20, 0);
    assert.ok(k3(a, b) >= 0, `${a} ${b}`);
  }
  assert.is(k3(-1.5, -1.5), 0);
  close(k3(0, Math.log(2)), 0.5 - Math.log(0.5) - 1);
});

test('loss normalisation: mean over masked tokens, then over sequences with any', () => {
  const seqs: GrpoSequence[] = [
    { newLogp: [0, 0, 0], oldLogp: [0, 0, 0], mask: [1, 1, 0], advantage: 1 },
    { newLogp: [0, 0, 0, 0], oldLogp: [0, 0, 0, 0], mask: [1, 1, 1, 1], advantage: -0.5 },
    { newLogp: [0], oldLogp: [0], mask: [0], advantage: 5 }, // empty mask: left out
  ];
  const l = grpoLoss(seqs, { clip: 0.2, klWeight: 0.01 });
  // ratio 1 everywhere: sequence losses -1 and +0.5, mean -0.25
  close(l.loss, -0.25);
  close(l.kl, 0);
  assert.equal([l.tokens, l.sequences, l.clippedFraction], [6, 2, 0]);
  assert.equal(grpoLoss([], { clip: 0.2, klWeight: 0.01 }), { loss: 0, policy: 0, kl: 0, clippedFraction: 0, tokens: 0, sequences: 0 });
  // A long sequence weighs as much as a short one.
  const short = { newLogp: [0], oldLogp: [0], mask: [1], advantage: 1 };
  const long = { newLogp: Array(9).fill(0), oldLogp: Array(9).fill(0), mask: Array(9).fill(1), advantage: -1 };
  close(grpoLoss([short, long]).loss, 0);
  assert.throws(() => grpoLoss([{ ...short, oldLogp: [0, 0] }]), /different lengths/);
});

test('loss with KL: beta times the normalised k3', () => {
  const s: GrpoSequence = { newLogp: [-1, -2], oldLogp: [-1, -2], refLogp: [-1.5, -1], mask: [1, 1], advantage: 0 };
  const l = grpoLoss([s], { clip: 0.2, klWeight: 0.1 });
  const kl = (k3(-1.5, -1) + k3(-1, -2)) / 2;
  close(l.kl, kl);
  close(l.loss, 0.1 * kl);
});

test('the analytic gradient matches finite differences (incl. clipped tokens)', () => {
  const r = rng(3);
  const batch: GrpoSequence[] = Array.from({ length: 3 }, (_, i) => {
    const n = 4 + i;
    const oldLogp = Array.from({ length: n }, () => r.uniform(-3, -0.1));
    return {
      oldLogp,
      newLogp: oldLogp.map((o) => o + r.uniform(-0.5, 0.5)),
      refLogp: oldLogp.map((o) => o + r.uniform(-0.3, 0.3)),
      mask: Array.from({ length: n }, (_, t) => (t === 0 ? 0 : 1)),
      advantage: r.uniform(-2, 2),
    };
  });
  const cfg = { clip: 0.2, klWeight: 0.05 };
  const grad = grpoLossGradient(batch, cfg);
  const h = 1e-6;
  let clipped = 0;
  batch.forEach((s, i) => s.newLogp.forEach((_, t) => {
    const bump = (d: number) => grpoLoss(batch.map((q, j) => (j !== i ? q : { ...q, newLogp: q.newLogp.map((v, u) => (u === t ? v + d : v)) })), cfg).loss;
    close(grad[i]![t]!, (bump(h) - bump(-h)) / (2 * h), 1e-6);
    if (s.mask[t] && isClipped(s.newLogp[t]!, s.oldLogp[t]!, s.advantage, 0.2)) clipped++;
  }));
  assert.ok(clipped > 0, 'the case covers clipped tokens');
  assert.is(grad[0]![0], 0);
});

test.run();
