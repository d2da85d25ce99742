// The model judge against a loopback server with canned OpenAI-style replies: image order and MIME types, IR's two
// passes, verdict parsing, failures counted apart, the official prompt text pasted in (the client itself:
// chat-client.test.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { createChatClient, dataUrl } from '../../vthinker/bench/chat-client.ts';
import { fillTemplate, loadJudgePrompts, modelJudge, parseVerdict } from '../../vthinker/bench/model-judge.ts';
import type { BenchItem } from '../../vthinker/bench/types.ts';
import { chatServer } from './fixtures/chat-server.ts';

function picture(format: 'png' | 'jpeg', colour = '#fff'): Uint8Array {
  const c = createCanvas(16, 16);
  const g = c.getContext('2d');
  g.fillStyle = colour;
  g.fillRect(0, 0, 16, 16);
  return c.encodeSync(format as 'png');
}
const png = picture('png'), jpeg = picture('jpeg', '#f00'), truth = picture('png', '#00f');
const item: BenchItem = {
  id: 'q1', domain: 'Geometry', image: png,
  perception: { question: 'locate the midpoint of B C', annotation: truth },
  reasoning: { question: 'how long is B C ?', answer: '2\\sqrt{3}' },
};
const urls = (s: { body: { messages: { content: { type: string; image_url?: { url: string } }[] }[] } }) =>
  s.body.messages.at(-1)!.content.filter((c) => c.type === 'image_url').map((c) => c.image_url!.url);
const texts = (s: { body: { messages: { content: { type: string; text?: string }[] }[] } }) =>
  s.body.messages.at(-1)!.content.filter((c) => c.type === 'text').map((c) => c.text!).join('\n');

test('verdicts: keyed, leading, last line, words; anything else is null', () => {
  const cases: [string, 0 | 1 | null][] = [
    ['Judgement: 1', 1], ['Judgment: 0', 0], ['1\n\nThe point is correct.', 1], ['**1**', 1], ['Score: 0', 0], ['score=1', 1],
    ['The marks are on B and C.\n\n**Verdict:** 0', 0], ['0', 0], ['1.', 1], ['correct', 1], ['Incorrect.', 0],
    ['The drawing is not correct.', 0], ['Consistent', 1], ['yes', 1], ['No', 0],
    ['Judgement: 0 ... on reflection, Judgement: 1', 1],
    ['hmm', null], ['10 points', null], ['0.5', null], ['partly correct, partly incorrect', null], ['', null],
  ];
  for (const [reply, want] of cases) assert.is(parseVerdict(reply), want, JSON.stringify(reply));
});

test('image judge over HTTP: original, generated, ground truth, each with its MIME type; model and key sent', async () => {
  const srv = await chatServer(() => 'Judgement: 1');
  try {
    const client = createChatClient({ endpoint: srv.url, model: 'judge-vl', apiKey: 'sk-test' });
    const v = await modelJudge('perception', client).judge(item, { image: jpeg });
    assert.equal([v.score, v.failed], [1, undefined]);
    const [s] = srv.seen;
    assert.is(s!.body.model, 'judge-vl');
    assert.is(s!.headers.authorization, 'Bearer sk-test');
    assert.equal(urls(s!), [dataUrl(png), dataUrl(jpeg), dataUrl(truth)]);
    assert.ok(urls(s!)[1]!.startsWith('data:image/jpeg;'));
    assert.match(texts(s!), /locate the midpoint of B C/);
    assert.match(texts(s!), /Original image:[\s\S]*Generated image:[\s\S]*Ground truth image:/);
    assert.equal((await modelJudge('perception', client).judge(item, {})).reasons, ['no output image']);
  } finally {
    await srv.close();
  }
});

test('IR in two passes: extract the final answer, then judge its equivalence to the gold one', async () => {
  const srv = await chatServer((s) => (texts(s).includes('Model response:') ? 'Extracted answer: 2√3' : '1\n\nBoth are 2√3.'));
  try {
    const judge = modelJudge('reasoning', createChatClient({ endpoint: srv.url }));
    const v = await judge.judge(item, { text: '<think> B C is twice the altitude </think> <answer> 2√3 </answer>' });
    assert.equal([v.score, v.details?.extracted], [1, '2√3']);
    assert.is(srv.seen.length, 2);
    assert.match(texts(srv.seen[0]!), /how long is B C \?[\s\S]*B C is twice the altitude/);
    assert.match(texts(srv.seen[1]!), /Standard answer: 2\\sqrt\{3\}\nModel answer: 2√3/);
    assert.equal(urls(srv.seen[0]!), [], 'IR is judged on text alone');
  } finally {
    await srv.close();
  }
});

test('failures: an unreadable reply or a failed request is a judge failure (0, failed), after the client\'s retries', async () => {
  let n = 0;
  const srv = await chatServer((s) => {
    const q = texts(s);
    if (q.includes('UNREADABLE')) return 'I would rather not say.';
    if (q.includes('FLAKY')) return n++ < 2 ? { status: 503, body: 'busy' } : 'Score: 1';
    return { status: 400, body: 'bad image' };
  });
  try {
    const client = createChatClient({ endpoint: srv.url, backoffMs: 1 });
    const judge = (question: string) => modelJudge('perception', client).judge({ ...item, perception: { question, annotation: truth } }, { image: png });
    const unreadable = await judge('UNREADABLE');
    assert.equal([unreadable.score, unreadable.failed], [0, true]);
    assert.match(unreadable.reasons[0]!, /no verdict in the judge's reply: "I would rather not say\."/);
    const flaky = await judge('FLAKY');
    assert.equal([flaky.score, flaky.failed, n], [1, undefined, 3]);
    const before = srv.seen.length;
    const refused = await judge('REFUSED');
    assert.equal([refused.score, refused.failed, srv.seen.length - before], [0, true, 1]);
    assert.match(refused.reasons[0]!, /HTTP 400: bad image/);
    const down = await modelJudge('perception', createChatClient({ endpoint: 'http://127.0.0.1:9/v1', retries: 1, backoffMs: 1 })).judge(item, { image: png });
    assert.equal([down.score, down.failed], [0, true]);
  } finally {
    await srv.close();
  }
});

test('--judge-prompt: the official text pastes in: Python braces, {instruction}, images at its markers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'judge-prompt-'));
  const srv = await chatServer(() => '0');
  try {
    const marker = '<|vision_start|><|image_pad|><|vision_end|>';
    const file = join(dir, 'prompts.json');
    writeFileSync(file, JSON.stringify({ perception: `[Instruction]: {instruction} {{x}}\n[Original Image] ${marker}\n[Generated Image] ${marker}\n[Ground Truth Image] ${marker}\nJudgement: ` }));
    const judge = modelJudge('perception', createChatClient({ endpoint: srv.url }), loadJudgePrompts(file));
    assert.is((await judge.judge(item, { image: jpeg })).score, 0);
    const content = srv.seen[0]!.body.messages.at(-1)!.content;
    assert.equal(content.map((c) => c.type), ['text', 'image_url', 'text', 'image_url', 'text', 'image_url', 'text']);
    assert.is(content[0]!.text, '[Instruction]: locate the midpoint of B C {x}\n[Original Image] ');
    assert.is(content[3]!.image_url!.url, dataUrl(jpeg));
    assert.is(fillTemplate('{gt} / {model_answer} / {unknown}', { answer: 'C', extracted: 'B' }), 'C / B / {unknown}');
    writeFileSync(file, JSON.stringify({ percepton: 'typo' }));
    assert.throws(() => loadJudgePrompts(file), /unknown key "percepton"/);
  } finally {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
