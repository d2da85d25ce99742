// `vthinker infer` (cli/model-commands.ts) and `vthinker eval --model` (bench/eval-cli.ts) on a model directory: infer
// prints the trajectory and writes the views; eval runs and scores a benchmark file as `vthinker judge` does; bad
// arguments are one line with status 2.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildItems } from '../../vthinker/bench/items.ts';
import { writeBenchJson } from '../../vthinker/bench/layout.ts';
import { EVAL_USAGE, evalCommand } from '../../vthinker/bench/eval-cli.ts';
import { INFER_USAGE, inferCommand } from '../../vthinker/cli/model-commands.ts';
import { initCompute } from '../../vthinker/compute/setup.ts';
import { originalImage } from '../../vthinker/curriculum/examples.ts';
import { createPolicy } from '../../vthinker/model/policy.ts';
import { decodePng, encodePng, sameRaster } from '../../vthinker/scene/render.ts';
import { writeModel } from '../../vthinker/train/cold-start.ts';
import { shortSamples, tinyConfig, tok } from '../curriculum/fixtures/tiny.ts';
import { capture } from './capture.ts';

const root = mkdtempSync(join(tmpdir(), 'model-commands-'));
const env = { root, profile: 'tiny' };
const modelDir = join(root, 'model');
const samples = shortSamples(61, 3);
const image = originalImage(samples[0]!.scene);
const imageFile = join(root, 'figure.png');

test.before(async () => {
  await initCompute();
  const p = createPolicy(tinyConfig({ maxSeq: 48 }), 11);
  writeModel(p, tok, modelDir, { stage: 'test' });
  p.dispose();
  writeFileSync(imageFile, encodePng(image));
});

test.after(() => {
  rmSync(root, { recursive: true, force: true });
});

test('infer with a model directory: prints the trajectory and a summary, writes view-0.png (the input)', async () => {
  const out = join(root, 'infer-out');
  const r = await capture(() => inferCommand(['--model', modelDir, '--image', imageFile, '--question', samples[0]!.question, '--rounds', '2', '--out', out], env));
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /\d+ sandbox call\(s\), \d+ ran; stopped on (answer|eos|max-rounds|max-length) after [12] round\(s\); views in .*view-\*\.png/);
  const [trajectory] = r.out.split('\n\n');
  assert.ok(trajectory!.trim().length > 0, 'no trajectory printed');
  assert.ok(existsSync(join(out, 'view-0.png')));
  assert.ok(sameRaster(decodePng(readFileSync(join(out, 'view-0.png'))), image));
  // greedy: the same command prints the same
  const again = await capture(() => inferCommand(['--model', modelDir, '--image', imageFile, '--question', samples[0]!.question, '--rounds', '2', '--out', out], env));
  assert.is(again.out, r.out);
  // --stage works as well as --model for a directory
  const staged = await capture(() => inferCommand(['--stage', modelDir, '--image', imageFile, '--question', samples[0]!.question, '--rounds', '2', '--out', out], env));
  assert.is(staged.out, r.out);
});

test('infer: missing arguments print the usage line and return 2', async () => {
  for (const args of [[], ['--model', modelDir, '--image', imageFile], ['--model', modelDir, '--question', 'q'], ['--image', imageFile, '--question', 'q']]) {
    const r = await capture(() => inferCommand(args, env));
    assert.is(r.code, 2, args.join(' '));
    assert.ok(r.err.includes(`usage: ${INFER_USAGE}`), r.err);
    assert.is(r.out, '');
  }
  await inferCommand(['--model', join(root, 'nowhere'), '--image', imageFile, '--question', 'q'], env).then(
    () => assert.unreachable('should have thrown'),
    (e: Error) => assert.match(e.message, /nowhere is neither a model directory \(with weights\.json\) nor a stage with a model in profile tiny/),
  );
});

test('eval with a model directory: scored as vthinker judge scores (results.jsonl, summary.json, table.md, --json with per-item verdicts)', async () => {
  const bench = join(root, 'bench', 'bench.json');
  const items = buildItems(samples).items;
  writeBenchJson(bench, items);
  const out = join(root, 'eval-out');
  const r = await capture(() => evalCommand(['--model', modelDir, '--bench', bench, '--out', out, '--rounds', '2'], env));
  assert.is(r.code, 0, r.err);
  for (const column of ['Perception', 'Instruction-Guided Interaction', 'Interactive Reasoning']) {
    assert.match(r.out, new RegExp(`^${column} +\\d+\\.\\d% +\\[\\d+\\.\\d, \\d+\\.\\d\\] +\\d+/${items.length} +missing 0$`, 'm'), column);
    assert.match(r.out, new RegExp(`^  ${column} +calls/item \\d\\.\\d\\d +ran \\d+% +answered \\d+%$`, 'm'), `${column}: sandbox use`);
  }
  assert.match(r.out, /\| model \| Perception \| IGI \| IR \|/);
  assert.match(r.out, /per-item verdicts: .*eval-out\/results\.jsonl; outputs in .*eval-out \(judge them again with: vthinker judge --bench .*bench\.json --outputs .*eval-out\)/);
  for (const f of ['results.jsonl', 'summary.json', 'table.md', `${items[0]!.id}.reasoning.txt`]) assert.ok(existsSync(join(out, f)), f);
  assert.is(readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n').length, items.length * 3);
  const j = await capture(() => evalCommand(['--model', modelDir, '--bench', bench, '--out', out, '--results', join(root, 'res'), '--rounds', '2', '--json'], env));
  assert.is(j.code, 0, j.err);
  const parsed = JSON.parse(j.out);
  assert.is(parsed.tasks.perception.total, items.length);
  assert.is(parsed.results.length, items.length * 3);
  assert.ok(['id', 'task', 'domain', 'verdict', 'judge', 'reasons'].every((k) => k in parsed.results[0]), JSON.stringify(parsed.results[0]));
  assert.equal(Object.keys(parsed.tools).sort(), ['instruction', 'perception', 'reasoning']);
  assert.not.ok('endpoint' in parsed, 'no endpoint fields in process');
  assert.ok(existsSync(join(root, 'res', 'summary.json')), '--results');
  // vthinker judge on the same outputs gives the same verdicts
  const { judgeCommand } = await import('../../vthinker/bench/cli.ts');
  const judged = JSON.parse((await capture(() => judgeCommand(['--bench', bench, '--outputs', out, '--results', join(root, 'res-judge'), '--json']))).out);
  assert.equal(judged.results, parsed.results);
});

test('eval: usage and benchmark errors are one line with status 2, before the model runs', async () => {
  const bench = join(root, 'bench', 'bench.json');
  for (const args of [[], ['--model', modelDir], ['--bench', bench]]) {
    const bad = await capture(() => evalCommand(args, env));
    assert.is(bad.code, 2);
    assert.ok(bad.err.includes(`usage: ${EVAL_USAGE}`), bad.err);
  }
  const broken = join(import.meta.dirname, '..', 'bench', 'fixtures', 'official', 'broken-type.json');
  for (const [args, message] of [
    [['--model', modelDir, '--bench', broken], /^vthinker: .*broken-type\.json: item 0 \(id "100"\) field "question_perception": expected a string, got an array$/],
    [['--model', modelDir, '--bench', bench, '--concurrency', '2'], /^vthinker: --concurrency needs --endpoint URL/],
    [['--model', modelDir, '--bench', bench, '--judge', 'model'], /^vthinker: --judge model needs --judge-endpoint URL/],
    [['--model', modelDir, '--bench', bench, '--rounds', '0'], /^vthinker: --rounds must be an integer from 1 to 20, got "0"$/],
    [['--model', join(root, 'nowhere'), '--bench', bench], /^vthinker: .*nowhere is neither a model directory/],
    [['--model', modelDir, '--bench', bench, '--what'], /^vthinker: Unknown option '--what'/],
  ] as const) {
    const r = await capture(() => evalCommand([...args, '--out', join(root, 'bad-out')], env));
    assert.is(r.code, 2, args.join(' '));
    assert.match(r.err, message);
    assert.not.match(r.err, /\n\s+at /, 'no stack trace');
  }
  assert.not.ok(existsSync(join(root, 'bad-out', 'results.jsonl')), 'nothing scored');
});

test.run();
