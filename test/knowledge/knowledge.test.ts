import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evolveKnowledge, initialState, jaccard } from '../../vthinker/knowledge/evolve.ts';
import { formatQuestion, parseQuestion, QUESTION_TEMPLATES, TEMPLATE_IDS } from '../../vthinker/knowledge/grammar.ts';
import { applyTool, TOOL_NAMES, TOOLS, type ToolName } from '../../vthinker/knowledge/tools.ts';
import { buildTree, concepts, conceptsForFamily, findConcept, insertConcept, treeStats } from '../../vthinker/knowledge/tree.ts';
import { outOfVocabulary, vocabulary } from '../../vthinker/knowledge/vocabulary.ts';
import { synthesize } from '../../vthinker/synth/synthesize.ts';
import { createPerceptionSample, PERCEPTION_LEVELS } from '../../vthinker/synth/perception.ts';
import { rng } from '../../vthinker/util/random.ts';

test('seed tree: >= 40 concepts over 4 domains, full paths, plain JSON', () => {
  const tree = buildTree();
  const st = treeStats(tree);
  assert.ok(st.concepts >= 40, `concepts ${st.concepts}`);
  assert.equal(st.domains, 4);
  assert.equal(st.depth, 4);
  assert.equal(JSON.parse(JSON.stringify(tree)), tree);
  assert.ok(concepts(tree).some((c) => c.path === 'Geometry > Plane Geometry > Triangle > Median'));
  for (const f of TEMPLATE_IDS) assert.ok(conceptsForFamily(tree, f).length >= 1, `family ${f} has no concept`);
});

test('malformed concept paths and unknown concepts get clear errors', () => {
  assert.throws(() => insertConcept(buildTree(), 'Geometry', { families: [] }), /not a concept path/);
  assert.throws(() => findConcept(buildTree(), 'Geometry > Nope'), /unknown concept/);
});

test('>= 12 visual tools, each producing drawing ops and an instruction in the vocabulary', () => {
  assert.ok(TOOL_NAMES.length >= 12);
  const pts: [number, number][] = [[20, 30], [90, 40], [60, 100], [30, 90]];
  for (const name of TOOL_NAMES) {
    const slots = TOOLS[name].instruction.split(' ').filter((w) => w.startsWith('$'));
    const words = slots.map((s) => (s === '$N' ? '4' : s === '$LS' ? 'A B C' : 'A'));
    const step = applyTool(name as ToolName, { pts, words, width: 128, height: 128, nums: [10, 10, 40, 40] });
    assert.ok(step.ops.length >= 1, name);
    assert.equal(outOfVocabulary(step.note), [], name);
  }
});

test('grammar: every template round-trips; malformed questions are refused clearly', () => {
  const fillers: Record<string, string> = { $L: 'A', $N: '3', $C: 'red', $LS: 'P Q R' };
  for (const id of TEMPLATE_IDS) {
    const slots = QUESTION_TEMPLATES[id].split(' ').filter((w) => w.startsWith('$')).map((s) => fillers[s]!);
    const text = formatQuestion(id, slots, [{ kind: 'midpoint', slots: ['M', 'A', 'B'] }]);
    const parsed = parseQuestion(text);
    assert.equal(parsed.template, id);
    assert.equal(parsed.slots, slots);
    assert.equal(parsed.definitions, [{ kind: 'midpoint', slots: ['M', 'A', 'B'] }]);
  }
  assert.throws(() => parseQuestion(''), /non-empty/);
  assert.throws(() => parseQuestion('does ray A cross segment C D ?'), /matches no question template/);
  assert.throws(() => parseQuestion('let M be A ; is P on line A B ?'), /not a definition/);
  assert.throws(() => formatQuestion('collinear', ['A']), /slots/);
});

test('vocabulary is closed and sorted; every generated text stays inside it', () => {
  const vocab = vocabulary();
  assert.equal(new Set(vocab).size, vocab.length);
  assert.ok(vocab.length < 250, `vocabulary size ${vocab.length}`);
  const { samples } = synthesize({ seed: 5, count: 120 });
  for (const s of samples) {
    for (const text of [s.question, s.answer, s.instruction, s.thought.before, s.thought.after, s.perceptionTask.question, ...s.solution]) {
      assert.equal(outOfVocabulary(text), [], `${s.family}: ${text}`);
    }
  }
});

test('perception questions and point-dict answer keys are in the vocabulary', () => {
  const base = rng(3).fork('perception');
  for (let i = 0; i < 300; i++) {
    const p = createPerceptionSample(base.fork(String(i)), { level: PERCEPTION_LEVELS[i % 3]! });
    assert.equal(outOfVocabulary(p.question), [], p.question);
    assert.equal(outOfVocabulary(Object.keys(p.targets).join(' ')), [], p.answerText);
  }
});

test('co-evolution adds composite concepts and tool combinations, deepens the tree, records each round', () => {
  const { samples } = synthesize({ seed: 9, count: 120, directions: ['concepts'] });
  const s1 = evolveKnowledge(initialState(buildTree()), samples);
  const s2 = evolveKnowledge(s1, synthesize({ seed: 10, count: 120, knowledge: s1.tree }).samples);
  const [r1, r2] = s2.rounds as [typeof s2.rounds[0], typeof s2.rounds[0]];
  assert.equal(r1.round, 1);
  assert.ok(r1.concepts > 45 && r1.depth >= 5 && r1.nodes > 80, JSON.stringify(r1));
  assert.ok(r2.concepts >= r1.concepts && r2.depth >= r1.depth);
  // A stricter merge threshold keeps at least as many distinct composites.
  const loose = evolveKnowledge(initialState(buildTree()), samples, { threshold: 0.3 });
  assert.ok(loose.rounds[0]!.concepts <= r1.concepts);
  assert.equal(jaccard(new Set([1, 2]), new Set([2, 3])), 1 / 3);
  assert.equal(evolveKnowledge(initialState(buildTree()), samples), s1);
});

test.run();
