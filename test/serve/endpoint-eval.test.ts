// Acceptance of `vthinker serve` + `vthinker eval --endpoint` (issue 34): a briefly trained tiny policy (it opens
// code blocks, runs calls and answers) is served on a free loopback port; the official `openai` client talks to it;
// then the benchmark scored through the endpoint with the paper's protocol gives, item for item, the verdicts, the
// judged images and the model-written text of the in-process `eval --model` (greedy). A stand-in policy that writes
// the ground truth scores 100% through the endpoint as in process, so the equality is not the trivial all-zero one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { createChatClient } from '../../vthinker/bench/chat-client.ts';
import { evalCommand } from '../../vthinker/bench/eval-cli.ts';
import { loadModelDir } from '../../vthinker/bench/evaluate-model.ts';
import { buildItems } from '../../vthinker/bench/items.ts';
import { fileStem, writeBenchJson } from '../../vthinker/bench/layout.ts';
import { judgeItems } from '../../vthinker/bench/outputs.ts';
import { runPolicyOnBench } from '../../vthinker/bench/run-policy.ts';
import { TASKS } from '../../vthinker/bench/types.ts';
import { SYSTEM_PROMPT } from '../../vthinker/bench/endpoint/protocol.ts';
import { runEndpointOnBench } from '../../vthinker/bench/endpoint/run-endpoint.ts';
import { initCompute } from '../../vthinker/compute/setup.ts';
import { serve } from '../../vthinker/serve/server.ts';
import { writeModel } from '../../vthinker/train/cold-start.ts';
import { briefPolicy, shortSamples, tinyConfig, tok } from '../curriculum/fixtures/tiny.ts';
import { oraclePolicy } from '../bench/fixtures/oracle-policy.ts';
import { capture } from '../cli/capture.ts';

const root = mkdtempSync(join(tmpdir(), 'endpoint-eval-'));
const samples = shortSamples(71, 12);
const items = buildItems(samples).items.slice(0, 8);
const bench = join(root, 'bench', 'bench.json');
const modelDir = join(root, 'model');
const env = { root, profile: 'smoke' };
const IR_ROUNDS = 3;

test.before(async () => {
  await initCompute();
  writeBenchJson(bench, items);
  const p = await briefPolicy(tinyConfig({ maxSeq: 96 }), samples, 40);
  writeModel(p, tok, modelDir, { stage: 'test' });
  p.dispose();
});

test.after(() => rmSync(root, { recursive: true, force: true }));

/** The model-written part of a trajectory: sandbox outputs (images, or the sandbox's own messages) blanked. */
const modelText = (text: string) => text.replace(/<sandbox_output>[\s\S]*?<\/sandbox_output>/g, '<sandbox_output>').replace(/\s+/g, ' ').trim();

test('the official openai client: /v1/models lists the model; a completion stops at </code> or </answer> with usage counts', async () => {
  const { policy, tok: t } = loadModelDir(modelDir);
  const running = await serve(policy, t, { modelName: 'tiny', port: 0 });
  try {
    const client = new OpenAI({ baseURL: running.url, apiKey: 'unused', maxRetries: 0 });
    const models = await client.models.list();
    assert.equal(models.data.map((m) => m.id), ['tiny']);
    const url = `data:image/png;base64,${Buffer.from(items[0]!.image).toString('base64')}`;
    const ask = () => client.chat.completions.create({
      model: 'tiny', temperature: 0, stop: ['</code>', '</answer>'],
      messages: [{ role: 'system', content: SYSTEM_PROMPT }, { role: 'user', content: [{ type: 'image_url', image_url: { url } }, { type: 'text', text: items[0]!.instruction.question }] }],
    });
    const r = await ask();
    const choice = r.choices[0]!;
    assert.type(choice.message.content, 'string');
    assert.not.ok(choice.message.content!.includes('</code>'), 'the stop string is left out of the content');
    assert.ok(['stop', 'length'].includes(choice.finish_reason), choice.finish_reason);
    assert.ok(r.usage!.prompt_tokens > 2 && r.usage!.completion_tokens >= 1, JSON.stringify(r.usage));
    assert.is(r.usage!.total_tokens, r.usage!.prompt_tokens + r.usage!.completion_tokens);
    // greedy: the same request gets the same reply
    assert.is((await ask()).choices[0]!.message.content, choice.message.content);
    // a wrong model name and an image given by URL are client errors, with the reason
    await client.chat.completions.create({ model: 'other', messages: [{ role: 'user', content: 'x' }] }).then(
      () => assert.unreachable(), (e: { status?: number; message: string }) => { assert.is(e.status, 404); assert.match(e.message, /not served here/); });
    await client.chat.completions.create({ model: 'tiny', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://example.com/a.png' } }, { type: 'text', text: 'q' }] }] }).then(
      () => assert.unreachable(), (e: { status?: number; message: string }) => { assert.is(e.status, 400); assert.match(e.message, /base64 data URL/); });
  } finally {
    await running.close();
    policy.dispose();
  }
});

test('eval --endpoint over the served policy = eval --model, item for item (verdicts, images, model text)', async () => {
  const local = await capture(() => evalCommand(['--model', modelDir, '--bench', bench, '--out', join(root, 'in-process'), '--rounds', String(IR_ROUNDS), '--json'], env));
  assert.is(local.code, 0, local.err);
  const inProcess = JSON.parse(local.out);
  const { policy, tok: t } = loadModelDir(modelDir);
  const running = await serve(policy, t, { modelName: 'tiny', port: 0 });
  let served;
  try {
    served = await capture(() => evalCommand(['--endpoint', running.url, '--model', 'tiny', '--bench', bench, '--out', join(root, 'served'), '--rounds', String(IR_ROUNDS), '--concurrency', '6', '--json'], env));
  } finally {
    await running.close();
    policy.dispose();
  }
  assert.is(served.code, 0, served.err);
  const json = JSON.parse(served.out);
  assert.equal(json.failures, []);
  // the same outputs as vthinker judge's, from either side: per-item verdicts, per-task accuracy with its interval
  const verdicts = (j: { results: { id: string; task: string; verdict: number }[] }) => j.results.map((r) => [r.id, r.task, r.verdict]);
  assert.is(json.results.length, items.length * TASKS.length);
  assert.equal(verdicts(json), verdicts(inProcess));
  for (const task of TASKS) assert.equal(json.tasks[task], inProcess.tasks[task], task);
  assert.match(served.err, /\[#+\] 24\/24/, 'a progress bar on stderr');
  for (const f of ['results.jsonl', 'summary.json', 'table.md']) assert.ok(existsSync(join(root, 'served', f)), f);
  // the model used its tool (else the comparison would be about answers only)
  assert.ok(json.tools.perception.callsPerItem > 0 && json.tools.instruction.callsPerItem > 0, JSON.stringify(json.tools));
  // the same sandbox calls ('answered' may differ: in process it is the stop token, through the endpoint the stop string)
  for (const task of TASKS) {
    const pick = (t: { callsPerItem: number; callSuccess: number }) => [t.callsPerItem, t.callSuccess];
    assert.equal(pick(json.tools[task]), pick(inProcess.tools[task]), task);
  }
  assert.is(json.tools.perception.python, 0);
  assert.ok(running.stats.largest > 1, `requests were batched: ${JSON.stringify(running.stats)}`);
  for (const it of items) {
    for (const task of TASKS) {
      const file = (dir: string, ext: string) => join(root, dir, `${fileStem(it.id)}.${task}.${ext}`);
      if (task !== 'reasoning') assert.ok(readFileSync(file('served', 'png')).equals(readFileSync(file('in-process', 'png'))), `${it.id} ${task}: image`);
      assert.is(modelText(readFileSync(file('served', 'txt'), 'utf8')), modelText(readFileSync(file('in-process', 'txt'), 'utf8')), `${it.id} ${task}: text`);
    }
  }
});

test('a policy writing the ground truth scores 100% through the endpoint, as in process; a second run comes from the cache', async () => {
  const { policy } = oraclePolicy(items);
  await runPolicyOnBench(policy, tok, items, join(root, 'oracle-in'), { irRounds: IR_ROUNDS });
  const inProcess = await judgeItems(items, join(root, 'oracle-in'));
  const running = await serve(policy, tok, { modelName: 'oracle', port: 0 });
  try {
    const client = createChatClient({ endpoint: running.url });
    const o = { model: 'oracle', systemPrompt: SYSTEM_PROMPT, irRounds: IR_ROUNDS, temperature: 0, concurrency: 4 };
    await runEndpointOnBench(client, items, join(root, 'oracle-served'), o);
    const report = await judgeItems(items, join(root, 'oracle-served'));
    for (const task of TASKS) assert.is(report.summary[task].overall.accuracy, 1, task);
    assert.equal(report.rows.map((r) => [r.id, r.task, r.score]), inProcess.rows.map((r) => [r.id, r.task, r.score]));
    const requests = running.stats.requests;
    const again = await runEndpointOnBench(client, items, join(root, 'oracle-served'), o);
    assert.is(again.cached, items.length * TASKS.length);
    assert.is(running.stats.requests, requests, 'no request for a cached result');
    assert.equal((await judgeItems(items, join(root, 'oracle-served'))).rows, report.rows);
  } finally {
    await running.close();
  }
});

test.run();
