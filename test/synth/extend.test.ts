import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseQuestion } from '../../vthinker/knowledge/grammar.ts';
import { createSample } from '../../vthinker/synth/create.ts';
import { extend } from '../../vthinker/synth/extend.ts';
import { FAMILIES, FAMILY_IDS } from '../../vthinker/synth/families/index.ts';
import { checkSample } from '../../vthinker/verify/checker.ts';
import { solve } from '../../vthinker/verify/solver.ts';
import { rng } from '../../vthinker/util/random.ts';

const extensible = FAMILY_IDS.filter((f) => FAMILIES[f].subject !== undefined);

test('parallel then sequential expansion: depth 2 then 3, the solver recomputes the answer, all axes pass', () => {
  assert.ok(extensible.length >= 6);
  for (const f of extensible) {
    // Some layouts leave no room for the extra points (extend then throws and the flywheel keeps the base sample);
    // most must extend.
    let extended = 0;
    for (let i = 0; i < 8; i++) {
      const s = createSample({ family: f }, rng(`ext ${f} ${i}`));
      let p: ReturnType<typeof extend>, q: ReturnType<typeof extend>;
      try {
        p = extend(s, 'parallel', rng(`p ${i}`));
        q = extend(p, 'sequential', rng(`q ${i}`));
      } catch (e) {
        assert.match(String(e), /kept its answer within the attempts/);
        continue;
      }
      extended++;
      assert.is(p.difficulty, 2);
      assert.is(parseQuestion(p.question).definitions.length, 1);
      assert.is(p.steps.length, s.steps.length + 1);
      assert.is(q.difficulty, 3);
      // Sequential: the new point is constructed from the previously constructed point.
      const defs = parseQuestion(q.question).definitions;
      assert.ok(defs[1]!.slots.includes(defs[0]!.slots[0]!), q.question);
      for (const e of [p, q]) {
        assert.is(solve(e.scene, e.question), e.answer, e.question);
        const v = checkSample(e);
        assert.ok(v.ok, `${f}: ${JSON.stringify([v.scores.qa.reasons, v.scores.figure.reasons, v.scores.overlay.reasons])}`);
      }
      assert.throws(() => extend(q, 'sequential', rng(1)), /maximum depth/);
    }
    assert.ok(extended >= 5, `${f}: only ${extended} of 8 extended`);
  }
});

test('sequential from depth 1 and its determinism; clear errors where expansion does not apply', () => {
  const s = createSample({ family: 'in-circle' }, rng(11));
  const a = extend(s, 'sequential', rng(5));
  assert.is(a.difficulty, 2);
  assert.is(JSON.stringify(a), JSON.stringify(extend(s, 'sequential', rng(5))));
  assert.throws(() => extend(a, 'parallel', rng(1)), /already constructed/);
  assert.throws(() => extend(createSample({ family: 'bars-above' }, rng(1)), 'parallel', rng(1)), /cannot be extended/);
});

test.run();
