import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { outOfVocabulary } from '../../vthinker/knowledge/vocabulary.ts';
import { answerText, createPerceptionSample, elementBudget, PERCEPTION_LEVELS } from '../../vthinker/synth/perception.ts';
import { figureProblems } from '../../vthinker/verify/figure.ts';
import { rng } from '../../vthinker/util/random.ts';

test('element counts follow N(8, 4) clipped to [3, 16]', () => {
  const r = rng(1);
  const xs = Array.from({ length: 4000 }, () => elementBudget(r));
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(Math.min(...xs) === 3 && Math.max(...xs) === 16);
  assert.ok(Math.abs(mean - 8) < 0.4, `mean ${mean}`);
});

test('three levels; targets on canvas; answer text in the paper form; legible figures; deterministic', () => {
  for (const level of PERCEPTION_LEVELS) {
    for (let i = 0; i < 25; i++) {
      const s = createPerceptionSample(rng(`${level} ${i}`), { level });
      assert.is(s.level, level);
      assert.ok(s.elementCount >= 3 && s.elementCount <= 16);
      assert.equal(figureProblems(s.scene), []);
      assert.equal(outOfVocabulary(s.question), [], s.question);
      for (const [x, y] of Object.values(s.targets)) assert.ok(x >= 0 && x <= 128 && y >= 0 && y <= 128);
      if (level === 'semantic') assert.not.match(s.question, / [A-Z]( |$)/, 'semantic questions use no labels');
      assert.is(s.overlay.length, Object.keys(s.targets).length);
    }
  }
  assert.is(JSON.stringify(createPerceptionSample(rng(3))), JSON.stringify(createPerceptionSample(rng(3))));
  assert.is(answerText({ P1: [100, 260], P2: [160, 200] }), "{'P1': (100, 260), 'P2': (160, 200)}");
  assert.throws(() => createPerceptionSample(rng(1), { level: 'deep' as never }), /unknown level/);
});

test.run();
