// The command-line edges of `vthinker serve` and `vthinker eval --endpoint`, and the chat client's retries: bad
// arguments are one line with status 2 (no stack trace); 429 / 5xx / dropped connections are retried with backoff
// (Retry-After honoured); other statuses fail at once with the server's message.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChatClient, EndpointError } from '../../vthinker/bench/endpoint/chat.ts';
import { buildItems } from '../../vthinker/bench/items.ts';
import { writeBenchJson } from '../../vthinker/bench/layout.ts';
import { shortSamples } from '../curriculum/fixtures/tiny.ts';
import { evalCommand } from '../../vthinker/cli/model-commands.ts';
import { SERVE_USAGE, serveCommand } from '../../vthinker/serve/cli.ts';
import { capture } from '../cli/capture.ts';

const root = mkdtempSync(join(tmpdir(), 'serve-cli-'));
const env = { root, profile: 'tiny' };
test.after(() => rmSync(root, { recursive: true, force: true }));

const noTrace = (err: string) => assert.not.match(err, /\n\s+at /, 'no stack trace');

test('serve: --help, and usage errors with status 2', async () => {
  const help = await capture(() => serveCommand(['--help'], env));
  assert.is(help.code, 0);
  assert.ok(help.out.startsWith(`usage: ${SERVE_USAGE}`) && help.out.includes('/v1/chat/completions'), help.out);
  for (const [args, message] of [
    [[], `usage: ${SERVE_USAGE}`],
    [['--model', root, '--port', '70000'], '--port must be an integer from 0 to 65535'],
    [['--model', join(root, 'nowhere')], 'is neither a model directory'],
    [['--model', root, '--what'], "Unknown option '--what'"],
  ] as const) {
    const r = await capture(() => serveCommand([...args], env));
    assert.is(r.code, 2, args.join(' '));
    assert.ok(r.err.includes(message), r.err);
    noTrace(r.err);
  }
});

test('eval --endpoint: --help, and usage errors with status 2, before any request', async () => {
  const help = await capture(() => evalCommand(['--help'], env));
  assert.is(help.code, 0);
  assert.match(help.out, /--endpoint URL --model NAME --bench FILE/);
  const bench = join(root, 'none.json');
  for (const [args, message] of [
    [['--endpoint', 'localhost:8000', '--model', 'm', '--bench', bench], '--endpoint must be an http(s) URL'],
    [['--endpoint', 'http://127.0.0.1:9/v1', '--model', 'm', '--bench', bench, '--concurrency', '0'], '--concurrency must be an integer'],
    [['--endpoint', 'http://127.0.0.1:9/v1', '--model', 'm', '--bench', bench, '--api-key-env', 'VT_SURELY_UNSET_KEY'], 'VT_SURELY_UNSET_KEY: that environment variable is not set'],
    [['--endpoint', 'http://127.0.0.1:9/v1', '--model', 'm', '--bench', bench, '--system-prompt', join(root, 'p.txt')], '--system-prompt'],
    [['--endpoint', 'http://127.0.0.1:9/v1', '--model', 'm', '--bench', bench], `--bench ${bench}: file not found`],
  ] as const) {
    const r = await capture(() => evalCommand([...args], env));
    assert.is(r.code, 2, args.join(' '));
    assert.ok(r.err.includes(message), r.err);
    noTrace(r.err);
  }
});

/** A server answering from a script of [status, body, headers]; records how many requests it got. */
async function scripted(replies: [number, unknown, Record<string, string>?][]) {
  let n = 0;
  const server = createServer((req, res) => {
    req.resume();
    const [status, body, headers] = replies[Math.min(n++, replies.length - 1)]!;
    if (status === 0) return void res.socket?.destroy();
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`, count: () => n, close: () => server.close() };
}

const ok = { choices: [{ message: { content: 'fine' }, finish_reason: 'stop', stop_reason: '</answer>' }], usage: { prompt_tokens: 3, completion_tokens: 1 } };
const body = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };

test('chat client: 503, a dropped connection and 429 are retried with doubling waits (Retry-After wins)', async () => {
  const s = await scripted([[503, { error: { message: 'busy' } }], [0, null], [429, {}, { 'retry-after': '7' }], [200, ok]]);
  const waits: number[] = [];
  const client = createChatClient({ endpoint: s.url, backoffMs: 10, sleep: async (ms) => void waits.push(ms) });
  const r = await client.complete(body);
  s.close();
  assert.equal(r, { content: 'fine', finishReason: 'stop', stopReason: '</answer>', usage: { prompt_tokens: 3, completion_tokens: 1 } });
  assert.equal(waits, [10, 20, 7000]);
  assert.is(s.count(), 4);
});

test('chat client: a 400 fails at once with the server\'s message; endless 500s give up after the retries', async () => {
  const bad = await scripted([[400, { error: { message: 'image too large' } }]]);
  const client = createChatClient({ endpoint: bad.url, sleep: async () => {} });
  await client.complete(body).then(() => assert.unreachable(), (e: Error) => {
    assert.instance(e, EndpointError);
    assert.match(e.message, /HTTP 400: image too large/);
  });
  assert.is(bad.count(), 1);
  bad.close();
  const down = await scripted([[500, { error: { message: 'boom' } }]]);
  const patient = createChatClient({ endpoint: down.url, retries: 2, sleep: async () => {} });
  await patient.complete(body).then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /no answer after 3 attempts; last: HTTP 500/));
  assert.is(down.count(), 3);
  down.close();
});

test('eval --endpoint against an endpoint that refuses everything: stops after 3 failures in a row, status 1', async () => {
  const bench = join(root, 'b', 'bench.json');
  writeBenchJson(bench, buildItems(shortSamples(3, 6)).items);
  const s = await scripted([[400, { error: { message: 'no such model' } }]]);
  const r = await capture(() => evalCommand(['--endpoint', s.url, '--model', 'm', '--bench', bench, '--out', join(root, 'out'), '--concurrency', '1'], env));
  s.close();
  assert.is(r.code, 1);
  assert.is(s.count(), 3);
  assert.match(r.err, /failed: \S+ perception: .*HTTP 400: no such model/);
  assert.match(r.err, /stopped after 3 failures in a row: \d+ \(item, task\) pairs not tried/);
  noTrace(r.err);
});

test.run();
