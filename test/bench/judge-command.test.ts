// `vthinker judge` end to end on the official JSON fixture: per-item results.jsonl, summaries per domain and
// dataset-entity, skipped tasks reported, --judge both against a loopback judge, one-line errors with exit 2.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeCommand } from '../../vthinker/bench/cli.ts';
import { readBench } from '../../vthinker/bench/layout.ts';
import { renderOracleOutputs } from '../../vthinker/bench/outputs.ts';
import type { ResultLine, RunSummary } from '../../vthinker/bench/run-report.ts';
import { capture } from '../cli/capture.ts';
import { chatServer } from './fixtures/chat-server.ts';

const bench = join(import.meta.dirname, 'fixtures', 'official', 'vtbench.json');
const dir = mkdtempSync(join(tmpdir(), 'judge-cmd-'));
const oracle = join(dir, 'oracle');

test.before(async () => renderOracleOutputs((await readBench(bench)).items, oracle));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('rules: results.jsonl per judged task, summaries per domain and entity, skips reported, the paper table', async () => {
  const r = await capture(() => judgeCommand(['--bench', bench, '--outputs', oracle, '--results', join(dir, 'res')]));
  assert.is(r.code, 0, r.err);
  const lines = readFileSync(join(dir, 'res', 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ResultLine);
  // 5 items: 3 + 1 + 2 + 2 + 3 tasks.
  assert.is(lines.length, 11);
  assert.equal(lines.filter((l) => l.id === '101').map((l) => l.task), ['reasoning']);
  assert.ok(lines.every((l) => l.verdict === 1 && l.judge && l.domain && l.entity), 'oracle outputs pass');
  const summary = JSON.parse(readFileSync(join(dir, 'res', 'summary.json'), 'utf8')) as RunSummary;
  assert.equal([summary.tasks.perception.total, summary.tasks.instruction.total, summary.tasks.reasoning.total], [3, 4, 4]);
  assert.equal(Object.keys(summary.tasks.reasoning.byEntity), ['GeoQA', 'MathVerse']);
  assert.is(summary.tasks.reasoning.byEntity.MathVerse!.total, 2);
  assert.ok(summary.tasks.perception.low < 1 && summary.tasks.perception.high === 1, 'Wilson interval');
  assert.equal(summary.skipped.map((s) => [s.task, s.count]), [['perception', 2], ['instruction', 1], ['reasoning', 1], ['item', 1]]);
  assert.match(readFileSync(join(dir, 'res', 'table.md'), 'utf8'), /\| oracle \| 100\.0 \| 100\.0 \| 100\.0 \|/);
  assert.match(r.out, /skipped Perception: 2 \(annotation_perception: absent x2\); first: 101, 103/);
  assert.match(r.out, /entity MathVerse/);
  const j = await capture(() => judgeCommand(['--bench', bench, '--outputs', oracle, '--results', join(dir, 'res2'), '--json']));
  const parsed = JSON.parse(j.out) as RunSummary & { results: ResultLine[] };
  assert.is(parsed.results.length, 11);
  assert.is(parsed.tasks.reasoning.correct, 4);
});

test('--judge both: scored by the model judge, the rules beside it, their agreement per task', async () => {
  // The judge model says 1 to images and, for IR, extracts an answer and calls it wrong.
  const srv = await chatServer((s) => {
    const text = s.body.messages.at(-1)!.content.map((c) => c.text ?? '').join('');
    return text.includes('Model response:') ? 'yes' : text.includes('Standard answer:') ? 'Judgement: 0' : '1';
  });
  try {
    const r = await capture(() => judgeCommand(['--bench', bench, '--outputs', oracle, '--results', join(dir, 'both'), '--judge', 'both', '--judge-endpoint', srv.url, '--judge-model', 'vl', '--json']));
    assert.is(r.code, 0, r.err);
    const s = JSON.parse(r.out) as RunSummary & { results: ResultLine[] };
    assert.equal([s.tasks.perception.correct, s.tasks.reasoning.correct], [3, 0]);
    assert.equal(s.second!.agreement.perception, { agree: 3, total: 3, rate: 1 });
    assert.equal(s.second!.agreement.reasoning, { agree: 0, total: 4, rate: 0 });
    const ir = s.results.find((l) => l.task === 'reasoning')!;
    assert.equal([ir.judge, ir.verdict, ir.second!.judge, ir.second!.score, ir.details!.extracted], ['model-reasoning', 0, 'answer-reasoning', 1, 'yes']);
    assert.is(s.table.rows.filter((row) => !row.reference).length, 2, 'a table row per judge');
  } finally {
    await srv.close();
  }
});

test('errors: one line, exit 2; --help', async () => {
  const fx = join(import.meta.dirname, 'fixtures', 'official');
  const cases: [string[], RegExp][] = [
    [['--bench', join(fx, 'broken-type.json'), '--outputs', oracle], /^vthinker: .*broken-type\.json: item 0 \(id "100"\) field "question_perception": expected a string, got an array$/],
    [['--bench', join(fx, 'nope.json'), '--outputs', oracle], /nope\.json: file not found$/],
    [['--bench', bench, '--outputs', join(dir, 'nowhere')], /^vthinker: outputs folder .*nowhere not found$/],
    [['--bench', bench, '--outputs', oracle, '--judge', 'model'], /--judge model needs --judge-endpoint URL/],
    [['--bench', bench, '--outputs', oracle, '--judge', 'maybe'], /--judge must be rules, model or both, got maybe/],
    [['--bench', bench, '--outputs', oracle, '--judge-model', 'x'], /--judge-model needs --judge model or --judge both/],
    [['--bench', bench, '--outputs', oracle, '--judge', 'model', '--judge-endpoint', 'http://127.0.0.1:9', '--judge-api-key-env', 'NO_SUCH_VAR_34'], /--judge-api-key-env NO_SUCH_VAR_34: that environment variable is not set/],
    [['--outputs', oracle], /^usage: vthinker judge/],
    [['--bench', bench, '--outputs', oracle, '--what'], /^vthinker: Unknown option '--what'/],
    [['--bench', bench, '--outputs', oracle, '--judge-concurrency', '0'], /^vthinker: --judge-concurrency must be an integer of at least 1, got "0"$/],
  ];
  for (const [args, pattern] of cases) {
    const r = await capture(() => judgeCommand(args));
    assert.is(r.code, 2, args.join(' '));
    assert.match(r.err, pattern);
    assert.not.match(r.err, /\n {4}at /, 'no stack trace');
  }
  const skip = await capture(() => judgeCommand(['--bench', join(fx, 'broken-type.json'), '--outputs', oracle, '--results', join(dir, 'skip'), '--skip-broken']));
  assert.is(skip.code, 0, skip.err);
  assert.match(skip.out, /skipped Perception: 3 \(.*question_perception: expected a string, got an array x1/);
  const help = await capture(() => judgeCommand(['--help']));
  assert.is(help.code, 0);
  assert.match(help.out, /--judge rules\|model\|both[\s\S]*--judge-prompt FILE[\s\S]*--images DIR/);
});

test.run();
