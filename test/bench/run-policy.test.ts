// Our policy on a benchmark (bench/run-policy.ts, bench/evaluate-model.ts): every item's three tasks rolled out in
// the sandbox, written in the judge's outputs layout and judged. A stand-in policy that writes the ground truth
// scores 100% (the layout, the last view and the answer reach the judges); an untrained model directory is evaluated
// end to end with scores and tool statistics in range.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateModelDir, loadModelDir, TASK_COLUMN } from '../../vthinker/bench/evaluate-model.ts';
import { buildItems } from '../../vthinker/bench/items.ts';
import { fileStem, writeBenchJson } from '../../vthinker/bench/layout.ts';
import { judgeItems } from '../../vthinker/bench/outputs.ts';
import { runPolicyOnBench } from '../../vthinker/bench/run-policy.ts';
import { TASKS, type FullBenchItem } from '../../vthinker/bench/types.ts';
import { initCompute } from '../../vthinker/compute/setup.ts';
import { promptIds } from '../../vthinker/curriculum/examples.ts';
import type { PolicyExample } from '../../vthinker/model/batch.ts';
import { createPolicy, type GenerateOptions, type Generation, type Policy } from '../../vthinker/model/policy.ts';
import { formatProgram } from '../../vthinker/scene/drawlang.ts';
import { decodePng } from '../../vthinker/scene/render.ts';
import { writeModel } from '../../vthinker/train/cold-start.ts';
import { shortSamples, tinyConfig, tok } from '../curriculum/fixtures/tiny.ts';
import { oraclePolicy } from './fixtures/oracle-policy.ts';

const root = mkdtempSync(join(tmpdir(), 'run-policy-'));
const built = buildItems(shortSamples(51, 4));
// one id with characters the file layout has to replace
const items: FullBenchItem[] = built.items.map((it, i) => (i === 1 ? { ...it, id: `odd/id ${it.id}` } : it));
const benchFile = join(root, 'bench', 'bench.json');
writeBenchJson(benchFile, items);

test.before(async () => {
  await initCompute();
});

test.after(() => {
  rmSync(root, { recursive: true, force: true });
});

test('a policy that writes the ground truth scores 100% on every task: layout, views and answers reach the judges', async () => {
  assert.ok(items.length >= 3, `${items.length} items`);
  const { policy, requests } = oraclePolicy(items);
  const out = join(root, 'oracle');
  const progress: number[] = [];
  const run = await runPolicyOnBench(policy, tok, items, out, { irRounds: 3, batchSize: 2, onProgress: (done) => progress.push(done) });
  const report = await judgeItems(items, out);
  for (const task of TASKS) {
    const bad = report.rows.filter((r) => r.task === task && !r.score).map((r) => `${r.id}: ${r.reasons.join(', ')}`);
    assert.is(report.summary[task].overall.accuracy, 1, `${task}: ${bad.join('; ')}`);
  }
  assert.equal(report.missing, { perception: 0, instruction: 0, reasoning: 0 });
  // the geometric cross-check read the code from the .txt files and agreed
  assert.equal(report.agreement, { perception: { agree: items.length, total: items.length }, instruction: { agree: items.length, total: items.length } });
  assert.equal(run.tools.perception, { callsPerItem: 1, callSuccess: 1, answered: 1 });
  assert.equal(run.tools.instruction, { callsPerItem: 1, callSuccess: 1, answered: 1 });
  assert.equal(run.tools.reasoning, { callsPerItem: 0, callSuccess: 0, answered: 1 });
  // batches of 2 items; progress counts items over the three tasks
  assert.ok(Math.max(...requests) <= 2);
  assert.is(progress.at(-1), items.length * 3);
  // the judge's layout, one set of files per item; the picture is the last view (the construction drawn)
  const stem = join(out, fileStem(items[1]!.id));
  assert.ok(fileStem(items[1]!.id).startsWith('odd_id_'));
  for (const f of ['perception.png', 'perception.txt', 'instruction.png', 'instruction.txt', 'reasoning.txt']) assert.ok(existsSync(`${stem}.${f}`), f);
  assert.not.ok(existsSync(`${stem}.reasoning.png`));
  assert.match(readFileSync(`${stem}.instruction.txt`, 'utf8'), /^<think> <code> .* <\/code> <sandbox_output> <image> <\/sandbox_output> <\/think> <answer> done <\/answer>\n$/s);
  assert.match(readFileSync(`${stem}.reasoning.txt`, 'utf8'), new RegExp(`<answer> ${items[1]!.reasoning.answer} </answer>`));
  const original = decodePng(items[1]!.image), drawn = decodePng(readFileSync(`${stem}.instruction.png`));
  assert.equal([drawn.width, drawn.height], [original.width, original.height]);
  assert.not.equal(drawn.data, original.data);
});

test('an untrained model directory, end to end: every output file, n = items, tool statistics in range', async () => {
  const modelDir = join(root, 'model');
  const p = createPolicy(tinyConfig({ maxSeq: 48 }), 7);
  writeModel(p, tok, modelDir, { stage: 'test' });
  p.dispose();
  const out = join(root, 'untrained');
  const scores = await evaluateModelDir(modelDir, benchFile, out, { irRounds: 2 });
  assert.is(scores.items, items.length);
  for (const it of items) {
    const stem = join(out, fileStem(it.id));
    for (const f of ['perception.png', 'perception.txt', 'instruction.png', 'instruction.txt', 'reasoning.txt']) assert.ok(existsSync(`${stem}.${f}`), `${it.id} ${f}`);
  }
  assert.is(readdirSync(out).length, items.length * 5);
  for (const col of Object.values(TASK_COLUMN)) {
    const s = scores.tasks[col];
    assert.is(s.n, items.length, col);
    assert.ok(s.score >= 0 && s.score <= 100 && s.lo <= s.score && s.score <= s.hi && s.hi <= 100, `${col}: ${JSON.stringify(s)}`);
    const t = scores.tools[col];
    assert.ok(t.callSuccess >= 0 && t.callSuccess <= 1 && t.answered >= 0 && t.answered <= 1, `${col}: ${JSON.stringify(t)}`);
    // single-shot tasks run at most one call; IR at most irRounds - 1
    assert.ok(t.callsPerItem >= 0 && t.callsPerItem <= 1, `${col}: ${t.callsPerItem}`);
  }
  assert.equal(Object.keys(scores.verdicts).sort(), items.map((i) => i.id).sort());
  for (const v of Object.values(scores.verdicts)) assert.equal(Object.keys(v).sort(), ['igi', 'ir', 'perception']);
  assert.equal(Object.keys(scores.agreement).sort(), ['instruction', 'perception']);
  assert.ok(scores.domains.every((d) => d.n >= 1 && d.score >= 0 && d.score <= 100));
  assert.is(scores.domains.filter((d) => d.task === 'ir').reduce((a, d) => a + d.n, 0), items.length);
  // greedy: the same model on the same bench gives the same scores
  const again = await evaluateModelDir(modelDir, benchFile, join(root, 'untrained-again'), { irRounds: 2 });
  assert.equal(again, scores);
  // the model directory's own tokenizer is used
  const loaded = loadModelDir(modelDir);
  assert.equal(loaded.tok.tokens, tok.tokens);
  assert.equal(loaded.policy.config, tinyConfig({ maxSeq: 48 }));
  loaded.policy.dispose();
});

test.run();
