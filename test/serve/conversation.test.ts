// How the server reads a conversation (serve/conversation.ts) and cuts a completion (applyStops): the policy's token
// sequence exactly as the in-process rollout builds it, results over the image limit as failures, text it wrote
// continued by its own ids, client mistakes as RequestError with the reason.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { promptIds } from '../../vthinker/curriculum/examples.ts';
import { blankRaster, encodePng } from '../../vthinker/scene/raster.ts';
import { RequestError, RoundMemory, toConversation, type ChatMessage } from '../../vthinker/serve/conversation.ts';
import { applyStops } from '../../vthinker/serve/server.ts';
import { tok } from '../curriculum/fixtures/tiny.ts';

const S = tok.ids;
const url = (w: number) => `data:image/png;base64,${encodePng(blankRaster(w, 8)).toString('base64')}`;
const image = (w: number) => ({ type: 'image_url' as const, image_url: { url: url(w) } });
const question = 'where is the midpoint of A B';
const first: ChatMessage = { role: 'user', content: [image(8), { type: 'text', text: question }] };

test('system messages are not shown to the policy; the prompt is <bos> <image> question', () => {
  const c = toConversation([{ role: 'system', content: 'be brief' }, first], tok, 3, new RoundMemory());
  assert.equal(c.prefix, promptIds(tok, { spec: { question } }));
  assert.is(c.images.length, 1);
});

test('rounds and sandbox results: images join the views; text results, and images over the limit, are <error>', () => {
  const round = '<think> <code> point 10 10 </code>';
  const messages: ChatMessage[] = [first];
  for (let k = 0; k < 3; k++) messages.push({ role: 'assistant', content: round }, { role: 'user', content: [image(9 + k)] });
  messages.push({ role: 'assistant', content: round }, { role: 'user', content: 'Sandbox for x: bad code' });
  const c = toConversation(messages, tok, 3, new RoundMemory());
  assert.equal(c.images.map((i) => i.width), [8, 9, 10], 'the third image is over maxImages = 3');
  const outputs = [];
  for (let i = 0; i < c.prefix.length; i++) if (c.prefix[i] === S.sandbox) outputs.push(c.prefix[i + 1] === S.image ? 'image' : c.prefix[i + 1] === S.error ? 'error' : '?');
  assert.equal(outputs, ['image', 'image', 'error', 'error']);
});

test('a round the server wrote is continued with its own ids, even where its text would encode differently', () => {
  const ids = [S.think, tok.binId(5), S.code, tok.binId(3), S.codeEnd];
  const text = tok.decode(ids);
  assert.not.equal(tok.encode(text), ids, 'a bin in prose does not encode back');
  const memory = new RoundMemory();
  memory.remember(text, ids);
  const messages: ChatMessage[] = [first, { role: 'assistant', content: `${text.replace('</code>', '')}  </code>` }];
  const c = toConversation(messages, tok, 3, memory);
  assert.equal(c.prefix.slice(-ids.length), ids);
  assert.equal(toConversation(messages, tok, 3, new RoundMemory()).prefix.slice(-ids.length), tok.encode(text), 'unknown text is encoded');
});

test('client mistakes are RequestErrors with the reason', () => {
  const cases: [ChatMessage[], RegExp][] = [
    [[], /non-empty array/],
    [[{ role: 'assistant', content: 'hi' }], /first non-system message must be the user's/],
    [[{ role: 'user', content: 'no image' }], /exactly one image, got 0/],
    [[{ role: 'user', content: [image(8), image(8), { type: 'text', text: 'q' }] }], /exactly one image, got 2/],
    [[{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }], /base64 data URL/],
    [[{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] }], /no decodable/],
  ];
  for (const [messages, message] of cases) {
    assert.throws(() => toConversation(messages, tok, 3, new RoundMemory()), (e: Error) => e instanceof RequestError && message.test(e.message), String(message));
  }
});

test('stop strings: cut at the first, left out; </code> and </answer> count only where the round ended', () => {
  assert.equal(applyStops('<think> a <code> point 1 1 </code>', ['</code>', '</answer>']), { content: '<think> a <code> point 1 1 ', stop: '</code>' });
  assert.equal(applyStops('a </code> b </answer>', ['</code>', '</answer>']), { content: 'a </code> b ', stop: '</answer>' });
  assert.equal(applyStops('one two three', ['two', 'three']), { content: 'one ', stop: 'two' });
  assert.equal(applyStops('no stop here', ['</code>']), { content: 'no stop here', stop: null });
});

test.run();
