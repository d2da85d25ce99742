// Episodes as policy inputs (curriculum/examples.ts): views through the sandbox, image visibility per token, the
// rl1 loss mask (prompt and sandbox outputs never supervised; final rounds only with 2+ calls), the prompt ids.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { episodeOf, usableEpisode, type Episode } from '../../vthinker/curriculum/episode.ts';
import { episodeViews, originalImage, promptIds, trainingExample, visibleCounts } from '../../vthinker/curriculum/examples.ts';
import { buildTrajectory } from '../../vthinker/policy/trajectory.ts';
import { createSandbox } from '../../vthinker/sandbox/index.ts';
import { formatProgram } from '../../vthinker/scene/drawlang.ts';
import { renderScene, sameRaster, toModelInput } from '../../vthinker/scene/render.ts';
import { synthesize } from '../../vthinker/synth/synthesize.ts';
import { tok } from './fixtures/tiny.ts';

const { samples } = synthesize({ seed: 3, count: 60 });
const multi = samples.find((s) => s.family === 'nearest-line' && s.steps.length === 3 && usableEpisode(s, 'reasoning'))!;
const single = samples.find((s) => s.family === 'ray-cross')!;
const S = tok.ids;

test('originalImage: the scene at one pixel per unit, nothing drawn', () => {
  const img = originalImage(single.scene);
  assert.equal([img.width, img.height], [single.scene.width, single.scene.height]);
  assert.ok(sameRaster(img, renderScene(single.scene, [])));
});

test('episodeViews: the original, then the sandbox\'s view after each call (cumulative)', () => {
  const e = episodeOf(multi, 'reasoning');
  const views = episodeViews(e);
  assert.is(views.length, 4);
  assert.ok(sameRaster(views[0]!, originalImage(multi.scene)));
  for (let k = 1; k < views.length; k++) assert.not.ok(sameRaster(views[k]!, views[k - 1]!), `call ${k} changed nothing`);
  // The same pictures the sandbox returns at inference for the same code, call by call.
  const sandbox = createSandbox({ id: 'x', image: originalImage(multi.scene), sceneSize: multi.scene });
  e.spec.calls.forEach((c, k) => {
    const r = sandbox.execute(formatProgram(c.ops));
    assert.ok(r.ok && sameRaster(r.image, views[k + 1]!), `view ${k + 1}`);
  });
  // Step by step ends where the whole construction in one call ends.
  const whole = episodeViews(episodeOf(multi, 'reasoning', { multiStep: false }));
  assert.is(whole.length, 2);
  assert.ok(sameRaster(whole[1]!, views[3]!));
  // No call: just the original.
  assert.is(episodeViews(episodeOf(multi, 'reasoning', { direct: true })).length, 1);
});

test('episodeViews: a construction the sandbox refuses fails loudly, naming the episode', () => {
  const e = episodeOf(single, 'instruction');
  const bad: Episode = { ...e, id: 'bad/instruction', spec: { ...e.spec, calls: [{ thought: '', ops: [{ op: 'line', from: [0, 0], to: [140, 5] }] }] } };
  assert.throws(() => episodeViews(bad), /episode bad\/instruction: its own construction fails in the sandbox: .*outside the 128x128 canvas/);
});

test('visibleCounts: image k becomes visible at its own <image> token', () => {
  const ids = [S.bos, S.image, 50, S.think, S.code, S.codeEnd, S.sandbox, S.image, S.sandboxEnd, S.image, 7];
  assert.equal(visibleCounts(tok, ids), [0, 1, 1, 1, 1, 1, 1, 2, 2, 3, 3]);
  assert.equal(visibleCounts(tok, []), []);
  assert.equal(visibleCounts(tok, Int32Array.from([S.image])), [1]);
});

test('trainingExample, one call: loss on the model\'s tokens only, never the prompt or the sandbox output', () => {
  for (const kind of ['reasoning', 'instruction', 'perception'] as const) {
    const e = episodeOf(single, kind);
    const t = buildTrajectory(tok, e.spec);
    const x = trainingExample(tok, e, 32);
    const ids = Array.from(x.tokens), mask = Array.from(x.lossMask!);
    assert.equal(ids, t.ids);
    assert.equal(x.unknown, []);
    assert.is(x.images.length, 2, kind);
    x.images.forEach((img) => assert.is(img.length, 32 * 32 * 3));
    assert.equal(Array.from(x.images[0]!), Array.from(toModelInput(originalImage(single.scene), 32)));
    assert.equal(Array.from(x.visible), visibleCounts(tok, ids));
    assert.ok(mask.slice(0, t.promptLength).every((m) => m === 0), `${kind}: prompt supervised`);
    const open = ids.indexOf(S.sandbox), close = ids.indexOf(S.sandboxEnd);
    assert.ok(open > t.promptLength && close === open + 2, kind);
    assert.equal(mask.slice(open, close + 1), [0, 0, 0], `${kind}: sandbox output supervised`);
    // everything else in the response is supervised: the thought, the code, the conclusion, the answer, <eos>
    ids.forEach((_, i) => {
      if (i >= t.promptLength && (i < open || i > close)) assert.is(mask[i], 1, `${kind}: token ${i} (${tok.token(ids[i]!)}) not supervised`);
    });
    assert.is(ids.at(-1), S.eos);
  }
});

test('trainingExample, 2+ calls: final rounds only by default; every model round with finalRoundsOnly false', () => {
  const e = episodeOf(multi, 'reasoning');
  const x = trainingExample(tok, e, 32);
  const ids = Array.from(x.tokens), mask = Array.from(x.lossMask!);
  assert.is(x.images.length, e.spec.calls.length + 1);
  assert.is(x.images.length, 4);
  const ends = ids.flatMap((id, i) => (id === S.sandboxEnd ? [i] : []));
  const opens = ids.flatMap((id, i) => (id === S.sandbox ? [i] : []));
  assert.is(ends.length, 3);
  // nothing up to the end of the second-to-last output; then the last call's round and the answer round
  assert.ok(mask.slice(0, ends[1]! + 1).every((m) => m === 0), 'early rounds supervised');
  for (let i = ends[1]! + 1; i < ids.length; i++) assert.is(mask[i], i >= opens[2]! && i <= ends[2]! ? 0 : 1, `token ${i}`);
  // the last code block is supervised
  const lastCode = ids.lastIndexOf(S.code);
  assert.ok(lastCode > ends[1]! && mask[lastCode] === 1);
  const all = Array.from(trainingExample(tok, e, 32, { finalRoundsOnly: false }).lossMask!);
  const t = buildTrajectory(tok, e.spec);
  ids.forEach((_, i) => {
    const inOutput = opens.some((o, k) => i >= o && i <= ends[k]!);
    assert.is(all[i], i >= t.promptLength && !inOutput ? 1 : 0, `token ${i}`);
  });
  assert.ok(all.reduce((a, b) => a + b, 0) > mask.reduce((a, b) => a + b, 0));
  // image k is visible from its <image> token on: the prompt's, then one per sandbox output
  const vis = Array.from(x.visible);
  opens.forEach((o, k) => {
    assert.is(vis[o]!, k + 1);
    assert.is(vis[o + 1]!, k + 2);
  });
});

test('promptIds: <bos> <image> question, exactly the trajectory\'s prompt', () => {
  for (const kind of ['reasoning', 'instruction', 'perception'] as const) {
    const e = episodeOf(single, kind);
    const t = buildTrajectory(tok, e.spec);
    const p = promptIds(tok, e);
    assert.equal(p, t.ids.slice(0, t.promptLength));
    assert.equal(p.slice(0, 2), [S.bos, S.image]);
    assert.is(tok.decode(p.slice(2)), e.spec.question);
    assert.is(t.ids[p.length], S.think);
  }
  assert.equal(promptIds(tok, { spec: { question: 'locate A' } }), [S.bos, S.image, ...tok.encode('locate A')]);
});

test.run();
