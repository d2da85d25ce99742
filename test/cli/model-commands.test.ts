// `vthinker infer` and `vthinker eval` (cli/model-commands.ts) on a model directory: infer prints the trajectory and
// writes the views; eval scores a benchmark file; bad arguments print the usage line and return 2.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildItems } from '../../vthinker/bench/items.ts';
import { writeBenchJson } from '../../vthinker/bench/layout.ts';
import { EVAL_USAGE, evalCommand, INFER_USAGE, inferCommand } from '../../vthinker/cli/model-commands.ts';
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

test('eval with a model directory: a score line per task (or JSON); missing arguments return 2', async () => {
  const bench = join(root, 'bench', 'bench.json');
  const items = buildItems(samples).items;
  writeBenchJson(bench, items);
  const out = join(root, 'eval-out');
  const r = await capture(() => evalCommand(['--model', modelDir, '--bench', bench, '--out', out, '--rounds', '2'], env));
  assert.is(r.code, 0, r.err);
  const lines = r.out.split('\n');
  for (const task of ['perception', 'igi', 'ir']) {
    assert.ok(lines.some((l) => new RegExp(`^${task} +\\d+\\.\\d% +\\[\\d+\\.\\d, \\d+\\.\\d\\] +n=${items.length} +calls/item \\d\\.\\d\\d +ran \\d+%$`).test(l)), `${task}: ${r.out}`);
  }
  assert.match(r.out, /outputs in .*eval-out \(judge them again with: vthinker judge --bench .*bench\.json --outputs .*eval-out\)/);
  assert.ok(existsSync(join(out, `${items[0]!.id}.reasoning.txt`)));
  const j = await capture(() => evalCommand(['--model', modelDir, '--bench', bench, '--out', out, '--rounds', '2', '--json'], env));
  assert.is(j.code, 0);
  const parsed = JSON.parse(j.out);
  assert.is(parsed.items, items.length);
  assert.equal(Object.keys(parsed.tasks).sort(), ['igi', 'ir', 'perception']);
  assert.not.ok('verdicts' in parsed, 'per-item verdicts stay out of the JSON summary');
  for (const args of [[], ['--model', modelDir], ['--bench', bench]]) {
    const bad = await capture(() => evalCommand(args, env));
    assert.is(bad.code, 2);
    assert.ok(bad.err.includes(`usage: ${EVAL_USAGE}`), bad.err);
  }
  const broken = join(import.meta.dirname, '..', 'bench', 'fixtures', 'official', 'broken-type.json');
  const b = await capture(() => evalCommand(['--model', modelDir, '--bench', broken, '--out', join(root, 'broken-out')], env));
  assert.is(b.code, 2);
  assert.match(b.err, /^vthinker: .*broken-type\.json: item 0 \(id "100"\) field "question_perception": expected a string, got an array$/);
});

test.run();
