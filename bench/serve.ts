// The served policy's speed: `vthinker serve` answering the paper's protocol (`eval --endpoint`) over a benchmark,
// at several client concurrencies, against the in-process `eval --model` on the same items. Prints requests/s,
// completion latency (p50 / p95, one round each) and how large the batched forward passes got, and checks the
// served verdicts equal the in-process ones. Prints figures; asserts nothing.
// Without --model: an untrained policy of the profile's size (default tiny) on freshly synthesized items.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { curriculumTokenizer } from '../stages/training.ts';
import { type ChatClient, createChatClient } from '../vthinker/bench/chat-client.ts';
import { SYSTEM_PROMPT } from '../vthinker/bench/endpoint/protocol.ts';
import { runEndpointOnBench } from '../vthinker/bench/endpoint/run-endpoint.ts';
import { loadModelDir } from '../vthinker/bench/evaluate-model.ts';
import { buildItems } from '../vthinker/bench/items.ts';
import { loadBench } from '../vthinker/bench/layout.ts';
import { judgeItems } from '../vthinker/bench/outputs.ts';
import { runPolicyOnBench } from '../vthinker/bench/run-policy.ts';
import { modelDir } from '../vthinker/cli/model-commands.ts';
import { initCompute } from '../vthinker/compute/setup.ts';
import { createPolicy } from '../vthinker/model/policy.ts';
import { serve } from '../vthinker/serve/server.ts';
import { synthesize } from '../vthinker/synth/synthesize.ts';
import { profilePolicy } from './train-step.ts';

const USAGE = 'node --import tsx bench/serve.ts [--model DIR|STAGE --profile P] [--bench FILE] [--items 30] [--concurrency 1,8,32] [--rounds 5]';
const { values } = parseArgs({ options: {
  model: { type: 'string' }, profile: { type: 'string', default: 'tiny' }, bench: { type: 'string' },
  items: { type: 'string', default: '30' }, concurrency: { type: 'string', default: '1,8,32' }, rounds: { type: 'string', default: '5' },
  help: { type: 'boolean', short: 'h' },
} });
if (values.help) {
  console.log(`usage: ${USAGE}\n\nServes the policy (a stage of --profile, a model directory, or an untrained one of the profile's size), runs the\nfirst --items items of --bench (default: freshly synthesized ones) through eval --endpoint's protocol at each\nclient concurrency, and prints requests/s, completion latency and batch sizes beside the in-process run.`);
  process.exit(0);
}
await initCompute();
const { policy, tok } = values.model
  ? loadModelDir(modelDir(values.model, { root: process.cwd(), profile: values.profile! }))
  : { policy: createPolicy(profilePolicy(values.profile!), 1), tok: curriculumTokenizer() };
const all = values.bench ? await loadBench(values.bench) : buildItems(synthesize({ seed: 5, count: 4 * Number(values.items) }).samples).items;
const items = all.slice(0, Number(values.items));
const irRounds = Number(values.rounds);
const scratch = mkdtempSync(join(tmpdir(), 'bench-serve-'));
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;

console.log(`## vthinker serve: ${values.model ?? `untrained ${values.profile}`} policy, ${items.length} items x 3 tasks, IR ${irRounds} rounds`);
let t0 = performance.now();
await runPolicyOnBench(policy, tok, items, join(scratch, 'in-process'), { irRounds });
const inProcessS = (performance.now() - t0) / 1000;
const inProcess = await judgeItems(items, join(scratch, 'in-process'));
console.log(`in process (eval --model, batches of 64): ${inProcessS.toFixed(2)} s for ${items.length * 3} rollouts`);
console.log('\n| client concurrency | requests | requests/s | p50 ms | p95 ms | batched calls | largest batch | wall s | verdicts = in process |\n|---|---|---|---|---|---|---|---|---|');
for (const concurrency of values.concurrency!.split(',').map(Number)) {
  const running = await serve(policy, tok, { modelName: 'bench', port: 0 });
  const latencies: number[] = [];
  const base = createChatClient({ endpoint: running.url });
  const client: ChatClient = {
    url: base.url,
    async complete(body) {
      const s = performance.now();
      const r = await base.complete(body);
      latencies.push(performance.now() - s);
      return r;
    },
  };
  t0 = performance.now();
  const served = join(scratch, `served-${concurrency}`);
  await runEndpointOnBench(client, items, served, { model: 'bench', systemPrompt: SYSTEM_PROMPT, irRounds, temperature: 0, concurrency });
  const wall = (performance.now() - t0) / 1000;
  await running.close();
  const rows = (await judgeItems(items, served)).rows;
  const same = rows.length === inProcess.rows.length && rows.every((r, i) => r.score === inProcess.rows[i]!.score && r.id === inProcess.rows[i]!.id && r.task === inProcess.rows[i]!.task);
  console.log(`| ${concurrency} | ${latencies.length} | ${(latencies.length / wall).toFixed(1)} | ${quantile(latencies, 0.5).toFixed(0)} | ${quantile(latencies, 0.95).toFixed(0)} | ${running.stats.calls} | ${running.stats.largest} | ${wall.toFixed(2)} | ${same ? 'yes' : 'NO'} |`);
}
policy.dispose();
rmSync(scratch, { recursive: true, force: true });
