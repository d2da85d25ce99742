import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { computeReward } from '../../vthinker/policy/reward.ts';
import { rollout, type GenerateRequest } from '../../vthinker/policy/rollout.ts';
import { lossMask, parseTrajectory } from '../../vthinker/policy/trajectory.ts';
import { createSandbox } from '../../vthinker/sandbox/index.ts';
import { blankRaster } from '../../vthinker/scene/render.ts';
import { tokenizer } from './fixtures/vocab.ts';

const tok = tokenizer();
const image = blankRaster(128, 128);
const prompt = [tok.ids.bos, ...tok.encode('<image> does ray A B cross segment C D ?')];
/** Ids of a code fragment as the model writes it after <code>. */
const code = (text: string) => tok.encode(`<code> ${text}`).slice(1);

/** A scripted model: each call returns the next scripted ids, checking the mode it was asked for. */
function scripted(script: Array<['text' | 'code', number[]]>) {
  const requests: Array<Pick<GenerateRequest, 'mode' | 'stopAt' | 'maxNewTokens'> & { images: number; prefix: number }> = [];
  let i = 0;
  const generate = (req: GenerateRequest) => {
    requests.push({ mode: req.mode, stopAt: [...req.stopAt], maxNewTokens: req.maxNewTokens, images: req.images.length, prefix: req.prefix.length });
    const [mode, ids] = script[i++] ?? ['text', [tok.ids.eos]];
    assert.is(req.mode, mode, `call ${i}`);
    return ids;
  };
  return { generate, requests };
}

test('one successful call, then the answer', async () => {
  const { generate, requests } = scripted([
    ['text', tok.encode('<think> extend A B <code>')],
    ['code', code('ray 40 22 90 60 </code>')],
    ['text', tok.encode('ray crosses segment C D </think> <answer> yes </answer>')],
  ]);
  const r = await rollout({ tokenizer: tok, generate, sandbox: createSandbox({ id: 'ep1', image, sceneSize: { width: 128, height: 128 } }), prompt, image });
  assert.is(r.stop, 'answer');
  assert.is(r.rounds, 2);
  assert.is(r.images.length, 2);
  assert.equal(r.calls, [{ code: 'ray 41 23 91 61', ok: true, imageIndex: 1 }]);
  assert.is(r.text, '<think> extend A B <code> ray 41 23 91 61 </code> <sandbox_output> <image> </sandbox_output> ray crosses segment C D </think> <answer> yes </answer>');
  assert.is(r.ids[r.ids.length - 1], tok.ids.eos);
  assert.equal(r.generated, lossMask(tok, r.ids, r.promptLength, { finalRoundsOnly: false }));
  assert.equal(requests.map((q) => q.mode), ['text', 'code', 'text']);
  assert.equal(requests.map((q) => q.images), [1, 1, 2]);
  assert.equal(requests[0]!.stopAt, [tok.ids.code, tok.ids.answerEnd, tok.ids.eos]);
  assert.equal(requests[1]!.stopAt, [tok.ids.codeEnd, tok.ids.eos]);
  assert.is(requests[0]!.prefix, prompt.length);
  const reward = computeReward({ response: r.text, gold: 'yes', reference: 'ray crosses segment C D' });
  assert.ok(Math.abs(reward.total - 2.3) < 1e-12);
});

test('a failing call is recorded, keeps its message in the text and lowers the tool reward', async () => {
  const { generate } = scripted([
    ['text', tok.encode('<think> extend A B <code>')],
    ['code', code('ray 40 22 </code>')],
    ['text', tok.encode('extend A B <code>')],
    ['code', code('ray 40 22 90 60 </code>')],
    ['text', tok.encode('ray crosses segment C D </think> <answer> yes </answer>')],
  ]);
  const r = await rollout({ tokenizer: tok, generate, sandbox: createSandbox({ id: 'ep2', image, sceneSize: { width: 128, height: 128 } }), prompt, image });
  assert.is(r.stop, 'answer');
  assert.is(r.calls.length, 2);
  assert.is(r.calls[0]!.ok, false);
  assert.match(r.calls[0]!.message!, /^Sandbox for ep2: line 1: ray takes 4 integers/);
  assert.is(r.calls[1]!.imageIndex, 1); // the failed call produced no image
  assert.is(r.images.length, 2);
  assert.ok(r.ids.includes(tok.ids.error));
  const parsed = parseTrajectory(r.text);
  assert.match(parsed.sandboxOutputs[0]!, /^Sandbox for ep2:/);
  assert.equal(parsed.sandboxOutputs.slice(1), ['<image>']);
  assert.ok(parsed.format.ok, parsed.format.problem);
  const reward = computeReward({ response: r.text, gold: 'yes', reference: 'ray crosses segment C D' });
  assert.equal([reward.calls, reward.failedCalls], [2, 1]);
  assert.ok(Math.abs(reward.tool - 0.15) < 1e-12);
  // The token form reads the same: <error> counts as a failure.
  assert.is(computeReward({ response: tok.decode(r.ids.slice(r.promptLength)), gold: 'yes' }).failedCalls, 1);
});

test('max rounds: the last round\'s code is not run', async () => {
  const again: Array<['text' | 'code', number[]]> = [['text', tok.encode('<think> extend <code>')], ['code', code('point 5 5 </code>')]];
  const { generate } = scripted([...again, ...again, ...again]);
  const r = await rollout({ tokenizer: tok, generate, sandbox: createSandbox({ id: 'ep3', image, sceneSize: { width: 128, height: 128 } }), prompt, image, maxRounds: 2 });
  assert.is(r.stop, 'max-rounds');
  assert.is(r.rounds, 2);
  assert.is(r.calls.length, 1);
  assert.is(r.ids[r.ids.length - 1], tok.ids.codeEnd);
  assert.not.ok(parseTrajectory(r.text).format.ok);
});

test('stops: <eos>, no stop token (length), overshoot trimmed, length cap', async () => {
  const eos = await rollout({ tokenizer: tok, generate: scripted([['text', [...tok.encode('<think> count'), tok.ids.eos]]]).generate,
    sandbox: createSandbox({ id: 'e', image, sceneSize: { width: 128, height: 128 } }), prompt, image });
  assert.is(eos.stop, 'eos');
  const noStop = await rollout({ tokenizer: tok, generate: scripted([['text', tok.encode('<think> count count')]]).generate,
    sandbox: createSandbox({ id: 'e', image, sceneSize: { width: 128, height: 128 } }), prompt, image });
  assert.is(noStop.stop, 'max-length');
  const over = await rollout({ tokenizer: tok, generate: scripted([['text', tok.encode('<think> x </think> <answer> no </answer> extra words')]]).generate,
    sandbox: createSandbox({ id: 'e', image, sceneSize: { width: 128, height: 128 } }), prompt, image });
  assert.is(over.text, '<think> <unk> </think> <answer> no </answer>');
  const { generate, requests } = scripted([['text', tok.encode('<think> count count count count count count')]]);
  const capped = await rollout({ tokenizer: tok, generate, sandbox: createSandbox({ id: 'e', image, sceneSize: { width: 128, height: 128 } }), prompt, image, maxLength: prompt.length + 3 });
  assert.is(requests[0]!.maxNewTokens, 3);
  assert.is(capped.ids.length, prompt.length + 3);
  assert.is(capped.stop, 'max-length');
});

test('async generate functions work the same', async () => {
  const { generate } = scripted([['text', tok.encode('<think> count </think> <answer> 3 </answer>')]]);
  const r = await rollout({ tokenizer: tok, generate: async (q) => generate(q), sandbox: createSandbox({ id: 'a', image, sceneSize: { width: 128, height: 128 } }), prompt, image });
  assert.is(r.text, '<think> count </think> <answer> 3 </answer>');
  assert.equal(r.calls, []);
});

test.run();
