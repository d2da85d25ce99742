import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildItems, selectItems } from '../../vthinker/bench/items.ts';
import { loadBench, loadBenchJson, readBench, writeBenchJson } from '../../vthinker/bench/layout.ts';
import { splitHeldOut } from '../../vthinker/synth/split.ts';
import { synthesize } from '../../vthinker/synth/synthesize.ts';
import { rejects } from './fixtures/rejects.ts';

const fx = join(import.meta.dirname, 'fixtures');
const { samples } = synthesize({ seed: 5, count: 160 });
const { heldOut } = splitHeldOut(samples, { seed: 5, fraction: 0.3 });
const built = buildItems(heldOut);

test('items from held-out samples: three tasks, a domain, geometric truth; zooms skipped', () => {
  assert.ok(built.items.length >= 30, `${built.items.length}`);
  for (const s of built.skipped) assert.match(s.reason, /crop|construction|target/);
  for (const it of built.items) {
    assert.ok(['Geometry', 'Algebra', 'Statistics', 'Logic'].includes(it.domain));
    assert.ok(it.perception.question && it.instruction.question && it.reasoning.question && it.reasoning.answer);
    assert.ok(Object.keys(it.truth!.targets).length >= 1 && it.truth!.ops.length >= 1);
    assert.not.equal(Buffer.from(it.image), Buffer.from(it.instruction.annotation));
  }
});

test('a construction that changes no pixel (drawn off the canvas) is skipped with its reason', () => {
  const sample = heldOut.find((s) => built.items.some((i) => i.id === s.id))!;
  const offCanvas = { ...sample, overlay: [{ op: 'line' as const, from: [-50, -50] as [number, number], to: [-10, -40] as [number, number] }] };
  const r = buildItems([sample, offCanvas]);
  assert.equal(r.items.map((i) => i.id), [sample.id]);
  assert.equal(r.skipped.map((x) => x.id), [sample.id]);
  assert.match(r.skipped[0]!.reason, /changes no pixel/);
});

test('selection: N per task, balanced over domains, seeded', () => {
  const n = 16;
  const a = selectItems(built.items, { perTask: n, seed: 1 });
  assert.is(a.length, n);
  assert.equal(a.map((i) => i.id), selectItems([...built.items].reverse(), { perTask: n, seed: 1 }).map((i) => i.id));
  assert.not.equal(a.map((i) => i.id), selectItems(built.items, { perTask: n, seed: 2 }).map((i) => i.id));
  const counts: Record<string, number> = {};
  for (const it of a) counts[it.domain] = (counts[it.domain] ?? 0) + 1;
  const available: Record<string, number> = {};
  for (const it of built.items) available[it.domain] = (available[it.domain] ?? 0) + 1;
  // Domains take turns: each gets n/4 unless it has fewer items.
  for (const d of Object.keys(available)) assert.ok((counts[d] ?? 0) >= Math.min(available[d]!, Math.floor(n / 4)), `${d}: ${counts[d]}`);
  // Families within a domain take turns too: no family twice before every family of its domain is used once.
  const geo = a.filter((i) => i.domain === 'Geometry').map((i) => i.family);
  const geoFamilies = new Set(built.items.filter((i) => i.domain === 'Geometry').map((i) => i.family));
  if (geo.length <= geoFamilies.size) assert.is(new Set(geo).size, geo.length);
  assert.throws(() => selectItems(built.items, { perTask: 10_000, seed: 1 }), /only/);
});

test('items round-trip through the JSON writer and loader', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  try {
    const items = built.items.slice(0, 6);
    writeBenchJson(join(dir, 'bench.json'), items);
    const back = await loadBench(join(dir, 'bench.json'));
    assert.equal(back.map((i) => ({ ...i, image: Buffer.from(i.image), p: Buffer.from(i.perception!.annotation) })), items.map((i) => ({ ...i, image: Buffer.from(i.image), p: Buffer.from(i.perception.annotation) })));
    assert.equal(back[0]!.instruction!.annotation, items[0]!.instruction.annotation);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('JSON fixtures: good file (truth optional), and broken ones name item and field', async () => {
  const items = await loadBenchJson(join(fx, 'json', 'bench.json'));
  assert.is(items.length, 3);
  assert.ok(items[0]!.truth && items[0]!.family);
  assert.is(items[2]!.truth, undefined);
  assert.is(items[2]!.domain, 'unknown');
  // An absent field is data (that task is skipped), a broken one an error naming item and field.
  const partial = await readBench(join(fx, 'json', 'missing-field.json'));
  assert.equal(partial.items.map((i) => [i.id, !!i.reasoning]), [['ray-cross-0cd64d7c', true], ['curve-value-0dd64f0f', false], ['dots-in-circle-0ed650a2', true]]);
  assert.equal(partial.skipped, [{ index: 1, id: 'curve-value-0dd64f0f', task: 'reasoning', field: 'question_reasoning', reason: 'absent' }]);
  const e = await rejects(loadBench(join(fx, 'json', 'bad-path.json')), /item 0 \(id "ray-cross-0cd64d7c"\) field "annotation_perception": image file images\/nowhere\.png not found/);
  assert.equal([e.index, e.itemId, e.field], [0, 'ray-cross-0cd64d7c', 'annotation_perception']);
  await rejects(loadBench(join(fx, 'json', 'bad-image.json')), /item 2 \(id "dots-in-circle-0ed650a2"\) field "image": undecodable image \(18 bytes/);
  await rejects(loadBench(join(fx, 'json', 'nope.json')), /nope\.json: file not found/);
  await rejects(loadBench(join(fx, 'make-fixtures.ts')), /not valid JSON/);
});

test('parquet fixtures: struct and raw image columns; broken files name item and field', async () => {
  const items = await loadBench(join(fx, 'bench.parquet'));
  const json = await loadBenchJson(join(fx, 'json', 'bench.json'));
  assert.equal(items.map((i) => [i.id, i.domain, i.reasoning!.answer, i.instruction!.answer]), json.slice(0, 2).map((i) => [i.id, i.domain, i.reasoning!.answer, i.instruction!.answer]));
  assert.equal(Buffer.from(items[1]!.instruction!.annotation), Buffer.from(json[1]!.instruction!.annotation));
  const raw = await loadBench(join(fx, 'bench-raw.parquet'));
  assert.equal(raw.map((i) => [i.id, i.domain]), [['1', 'unknown'], ['2', 'unknown']]);
  assert.equal(Buffer.from(raw[0]!.image), Buffer.from(json[0]!.image));
  const noAnswers = await readBench(join(fx, 'bench-missing-field.parquet'));
  assert.equal(noAnswers.items.map((i) => i.reasoning), [undefined, undefined]);
  assert.equal(noAnswers.skipped.map((x) => [x.index, x.task, x.field]), [[0, 'reasoning', 'answer_reasoning'], [1, 'reasoning', 'answer_reasoning']]);
  await rejects(loadBench(join(fx, 'bench-bad-image.parquet')), /item 1 \(id "curve-value-0dd64f0f"\) field "annotation_instruction": undecodable image/);
  const t = await rejects(loadBench(join(fx, 'bench-truncated.parquet')), /bench-truncated\.parquet: not a readable parquet file, truncated or corrupt\?/);
  assert.is(t.index, null);
});

test.run();
