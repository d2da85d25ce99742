// The one chat client (model judge, eval --endpoint, bench/serve.ts) against a loopback server: what it sends (model,
// key, data URLs with sniffed MIME types), what it reads back (content, stop reason, usage), which failures it retries
// (429, 5xx, dropped connections; Retry-After honoured) and which it does not (other statuses, malformed replies).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createCanvas } from '@napi-rs/canvas';
import { apiKeyFromEnv, completionsUrl, createChatClient, dataUrl, EndpointError, imageMime } from '../../vthinker/bench/chat-client.ts';
import { BenchUsageError } from '../../vthinker/bench/records.ts';
import { chatServer } from './fixtures/chat-server.ts';

function picture(format: 'png' | 'jpeg' | 'webp'): Uint8Array {
  const c = createCanvas(8, 8);
  c.getContext('2d').fillRect(0, 0, 4, 4);
  return c.encodeSync(format as 'png');
}

const request = { messages: [{ role: 'user' as const, content: 'hi' }] };
const completion = { choices: [{ message: { content: 'fine' }, finish_reason: 'stop', stop_reason: '</answer>' }], usage: { prompt_tokens: 3, completion_tokens: 1 } };

test('image MIME types from the bytes; data URLs carry them; completions URL from a base URL or the full one', () => {
  assert.is(imageMime(picture('png')), 'image/png');
  assert.is(imageMime(picture('jpeg')), 'image/jpeg');
  assert.is(imageMime(picture('webp')), 'image/webp');
  assert.is(imageMime(new TextEncoder().encode('GIF89a......')), 'image/gif');
  assert.is(imageMime(new TextEncoder().encode('hello')), null);
  assert.ok(dataUrl(picture('jpeg')).startsWith('data:image/jpeg;base64,'));
  assert.ok(dataUrl(new TextEncoder().encode('hello')).startsWith('data:image/png;base64,'), 'unknown bytes go as PNG');
  assert.is(completionsUrl('http://h:8000/v1/'), 'http://h:8000/v1/chat/completions');
  assert.is(completionsUrl('http://h:8000/v1/chat/completions'), 'http://h:8000/v1/chat/completions');
});

test('the API key comes from the environment variable named; an unset one is a usage error', () => {
  process.env.VT_TEST_KEY_34 = 'sk-env';
  assert.is(apiKeyFromEnv('VT_TEST_KEY_34', 'api-key-env'), 'sk-env');
  assert.is(apiKeyFromEnv(undefined, 'api-key-env'), undefined);
  assert.throws(() => apiKeyFromEnv('VT_SURELY_UNSET_KEY', 'judge-api-key-env'), (e: Error) => e instanceof BenchUsageError && /--judge-api-key-env VT_SURELY_UNSET_KEY: that environment variable is not set/.test(e.message));
  delete process.env.VT_TEST_KEY_34;
});

test('a completion: the client\'s model unless the request names one, the key as a bearer token; content, stop reason, usage', async () => {
  const srv = await chatServer(() => ({ completion }));
  try {
    const client = createChatClient({ endpoint: srv.url, model: 'judge-vl', apiKey: 'sk-test' });
    assert.is(client.url, `${srv.url}/chat/completions`);
    assert.equal(await client.complete(request), { content: 'fine', finishReason: 'stop', stopReason: '</answer>', usage: { prompt_tokens: 3, completion_tokens: 1 } });
    await client.complete({ ...request, model: 'other', stop: ['</code>'] });
    assert.equal(srv.seen.map((s) => s.body.model), ['judge-vl', 'other']);
    assert.is(srv.seen[0]!.headers.authorization, 'Bearer sk-test');
    assert.equal((srv.seen[1]!.body as { stop?: string[] }).stop, ['</code>']);
  } finally {
    await srv.close();
  }
});

test('replies: content parts are joined; stop_reason null (end of text) differs from not reported', async () => {
  const replies = [
    { choices: [{ message: { content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }, finish_reason: 'stop', stop_reason: null }] },
    { choices: [{ message: { content: 'c' }, finish_reason: 'length' }] },
  ];
  const srv = await chatServer((_, n) => ({ completion: replies[n] }));
  try {
    const client = createChatClient({ endpoint: srv.url });
    assert.equal(await client.complete(request), { content: 'ab', finishReason: 'stop', stopReason: null });
    assert.equal(await client.complete(request), { content: 'c', finishReason: 'length', stopReason: undefined });
  } finally {
    await srv.close();
  }
});

test('503, a dropped connection and 429 are retried with doubling waits (Retry-After wins when longer)', async () => {
  const script = [{ status: 503, body: 'busy' }, 'drop', { status: 429, body: '{}', headers: { 'retry-after': '7' } }, { completion }] as const;
  const srv = await chatServer((_, n) => script[n]!);
  const waits: number[] = [];
  try {
    const client = createChatClient({ endpoint: srv.url, backoffMs: 10, sleep: async (ms) => void waits.push(ms) });
    assert.is((await client.complete(request)).content, 'fine');
    assert.equal(waits, [10, 20, 7000]);
    assert.is(srv.seen.length, 4);
  } finally {
    await srv.close();
  }
});

test('a 400 fails at once with the server\'s message (JSON or plain); endless 500s give up after the retries', async () => {
  const srv = await chatServer((s) => {
    const q = JSON.stringify(s.body.messages);
    if (q.includes('json')) return { status: 400, body: JSON.stringify({ error: { message: 'image too large' } }) };
    if (q.includes('plain')) return { status: 401, body: 'bad key' };
    if (q.includes('garbled')) return { completion: { nothing: true } };
    return { status: 500, body: 'boom' };
  });
  const ask = (client: ReturnType<typeof createChatClient>, text: string) => client.complete({ messages: [{ role: 'user', content: text }] });
  try {
    const client = createChatClient({ endpoint: srv.url, retries: 2, sleep: async () => {} });
    for (const [text, message] of [['json', /HTTP 400: image too large$/], ['plain', /HTTP 401: bad key$/], ['garbled', /without choices\[0\]\.message/], ['down', /no answer after 3 attempts; last: HTTP 500: boom/]] as const) {
      const before = srv.seen.length;
      await ask(client, text).then(() => assert.unreachable(), (e: Error) => {
        assert.instance(e, EndpointError);
        assert.match(e.message, message);
      });
      assert.is(srv.seen.length - before, text === 'down' ? 3 : 1, text);
    }
  } finally {
    await srv.close();
  }
  // Nothing listening: network errors are retried too, then reported.
  const waits: number[] = [];
  const nowhere = createChatClient({ endpoint: 'http://127.0.0.1:9/v1', retries: 1, sleep: async (ms) => void waits.push(ms) });
  await nowhere.complete(request).then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /no answer after 2 attempts; last: fetch failed/));
  assert.equal(waits, [1000]);
});

test.run();
