// The command-line edges of `vthinker serve` and `vthinker eval --endpoint`: bad arguments are one line with status 2
// (no stack trace), found before any request; an endpoint that refuses everything stops the eval with status 1. The
// chat client's retries are tested in test/bench/chat-client.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildItems } from '../../vthinker/bench/items.ts';
import { fileStem, writeBenchJson } from '../../vthinker/bench/layout.ts';
import { shortSamples } from '../curriculum/fixtures/tiny.ts';
import { evalCommand } from '../../vthinker/bench/eval-cli.ts';
import { SERVE_USAGE, serveCommand } from '../../vthinker/serve/cli.ts';
import { chatServer } from '../bench/fixtures/chat-server.ts';
import { capture } from '../cli/capture.ts';

const root = mkdtempSync(join(tmpdir(), 'serve-cli-'));
const env = { root, profile: 'tiny' };
test.after(() => rmSync(root, { recursive: true, force: true }));

/** Each command line exits 2 with one line containing its message (no stack trace). */
async function usageErrors(command: (args: string[]) => Promise<number>, cases: readonly (readonly [readonly string[], string])[]) {
  for (const [args, message] of cases) {
    const r = await capture(() => command([...args]));
    assert.is(r.code, 2, args.join(' '));
    assert.ok(r.err.includes(message), r.err);
    assert.not.match(r.err, /\n\s+at /, 'no stack trace');
  }
}

test('serve: --help, and usage errors with status 2', async () => {
  const help = await capture(() => serveCommand(['--help'], env));
  assert.is(help.code, 0);
  assert.ok(help.out.startsWith(`usage: ${SERVE_USAGE}`) && help.out.includes('/v1/chat/completions'), help.out);
  await usageErrors((args) => serveCommand(args, env), [
    [[], `usage: ${SERVE_USAGE}`],
    [['--model', root, '--port', '70000'], '--port must be an integer from 0 to 65535'],
    [['--model', join(root, 'nowhere')], 'is neither a model directory'],
    [['--model', root, '--what'], "Unknown option '--what'"],
  ]);
});

test('eval --endpoint: --help, and usage errors with status 2, before any request', async () => {
  const help = await capture(() => evalCommand(['--help'], env));
  assert.is(help.code, 0);
  assert.match(help.out, /--endpoint URL --model NAME --bench FILE/);
  const bench = join(root, 'none.json');
  await usageErrors((args) => evalCommand(args, env), [
    [['--endpoint', 'localhost:8000', '--model', 'm', '--bench', bench], '--endpoint must be an http(s) URL'],
    [['--endpoint', 'http://127.0.0.1:9/v1', '--model', 'm', '--bench', bench, '--concurrency', '0'], '--concurrency must be an integer'],
    [['--endpoint', 'http://127.0.0.1:9/v1', '--model', 'm', '--bench', bench, '--api-key-env', 'VT_SURELY_UNSET_KEY'], 'VT_SURELY_UNSET_KEY: that environment variable is not set'],
    [['--endpoint', 'http://127.0.0.1:9/v1', '--model', 'm', '--bench', bench, '--system-prompt', join(root, 'p.txt')], '--system-prompt'],
    [['--endpoint', 'http://127.0.0.1:9/v1', '--model', 'm', '--bench', bench, '--judge', 'both'], '--judge both needs --judge-endpoint URL'],
    [['--endpoint', 'http://127.0.0.1:9/v1', '--model', 'm', '--bench', bench], `vthinker: ${bench}: file not found`],
  ]);
});

test('eval --endpoint against an endpoint that refuses everything: stops after 3 failures in a row, status 1, every output missing', async () => {
  const bench = join(root, 'b', 'bench.json');
  const items = buildItems(shortSamples(3, 6)).items;
  writeBenchJson(bench, items);
  // An earlier run's output of a pair this run never tries must not be judged as this run's.
  const out = join(root, 'out');
  mkdirSync(out, { recursive: true });
  const stale = join(out, `${fileStem(items.at(-1)!.id)}.reasoning.txt`);
  writeFileSync(stale, `<answer> ${items.at(-1)!.reasoning.answer} </answer>\n`);
  const s = await chatServer(() => ({ status: 400, body: JSON.stringify({ error: { message: 'no such model' } }) }));
  const r = await capture(() => evalCommand(['--endpoint', s.url, '--model', 'm', '--bench', bench, '--out', out, '--concurrency', '1', '--json'], env));
  await s.close();
  assert.is(r.code, 1);
  assert.is(s.seen.length, 3);
  assert.match(r.err, /failed: \S+ perception: .*HTTP 400: no such model/);
  assert.match(r.err, /stopped after 3 failures in a row: \d+ \(item, task\) pairs not tried/);
  assert.not.match(r.err, /\n\s+at /, 'no stack trace');
  assert.not.ok(existsSync(stale), 'stale output removed');
  const json = JSON.parse(r.out);
  assert.is(json.failures.length, 3);
  assert.is(json.abandoned, items.length * 3 - 3);
  for (const task of ['perception', 'instruction', 'reasoning'] as const) assert.equal([json.tasks[task].correct, json.tasks[task].missing], [0, items.length], task);
});

test.run();
