// The policy against the real flywheel: every synthesized sample must tokenise strictly (no word outside the
// vocabulary), build a well-formed trajectory, and earn the full reward from its own gold trajectory.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { vocabulary } from '../../vthinker/knowledge/vocabulary.ts';
import { computeReward } from '../../vthinker/policy/reward.ts';
import { Tokenizer } from '../../vthinker/policy/tokenizer.ts';
import { buildTrajectory, checkFormat, parseTrajectory, specFromSample } from '../../vthinker/policy/trajectory.ts';
import { createSample } from '../../vthinker/synth/create.ts';
import { extend } from '../../vthinker/synth/extend.ts';
import { synthesize } from '../../vthinker/synth/synthesize.ts';
import { rng } from '../../vthinker/util/random.ts';

const tok = new Tokenizer({ words: vocabulary() });

test('every family: strict tokenisation, format, full reward with the reference conclusion', () => {
  const { samples } = synthesize({ seed: 11, count: 40 });
  for (const s of samples) {
    const t = buildTrajectory(tok, specFromSample(s), { strict: true });
    assert.ok(checkFormat(t.response).ok, s.id);
    assert.is(t.calls, 1);
    // The response decodes back to itself up to coordinate quantisation.
    const decoded = tok.decode(t.ids.slice(t.promptLength));
    assert.is(parseTrajectory(decoded).answer, s.answer);
    const r = computeReward({ response: decoded, gold: s.answer, reference: s.thought.after });
    assert.ok(Math.abs(r.total - 2.3) < 1e-12, `${s.family}: ${JSON.stringify(r)}`);
  }
});

test('an expanded sample as several calls: final-round masking leaves the last call and the answer', () => {
  let s = createSample({ family: 'in-circle' }, rng('policy multi'));
  for (let i = 0; s.steps.length < 2 && i < 8; i++) {
    try {
      s = extend(s, 'parallel', rng(`policy multi ${i}`));
    } catch {
      // this layout had no room; try another stream
    }
  }
  assert.ok(s.steps.length >= 2, 'an expansion succeeded');
  const t = buildTrajectory(tok, specFromSample(s, { multiStep: true }), { strict: true });
  assert.is(t.calls, s.steps.filter((x) => x.ops.length > 0).length);
  const supervised = t.ids.filter((_, i) => t.mask[i] === 1);
  assert.is(supervised.filter((id) => id === tok.ids.code).length, 1);
  assert.is(supervised[supervised.length - 1], tok.ids.eos);
  assert.equal(t.imageIndex.filter((k) => k >= 0), Array.from({ length: t.calls + 1 }, (_, k) => k));
});

test.run();
