// The official release's layouts (fixtures in fixtures/official/, made by make-official-fixtures.ts): what may be
// absent is skipped per task and reported, what is broken names file, item and field.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { readBench } from '../../vthinker/bench/layout.ts';
import { imageMime } from '../../vthinker/bench/chat-client.ts';
import { rejects } from './fixtures/rejects.ts';

const fx = join(import.meta.dirname, 'fixtures', 'official');
const tasks = (i: { perception?: unknown; instruction?: unknown; reasoning?: unknown }) =>
  [i.perception ? 'P' : '-', i.instruction ? 'I' : '-', i.reasoning ? 'R' : '-'].join('');

test('official JSON: ids from image names, absent fields skip their task, entity and domain kept', async () => {
  const b = await readBench(join(fx, 'vtbench.json'));
  assert.equal(b.items.map((i) => [i.id, tasks(i)]), [
    ['100', 'PIR'], ['101', '--R'], ['102', 'PI-'], ['103', '-IR'], ['100-' + b.items[4]!.id.slice(4), 'PIR'],
  ]);
  assert.match(b.items[4]!.id, /^100-[0-9a-f]{8}$/, 'the second record on image 100 gets a suffix');
  assert.equal(b.items.map((i) => i.entity), ['GeoQA', 'MathVerse', 'GeoQA', 'MathVerse', 'GeoQA']);
  assert.ok(b.items.every((i) => i.domain !== 'unknown'));
  assert.is(imageMime(b.items[0]!.image), 'image/jpeg');
  assert.is(b.items[3]!.instruction!.answer, undefined, 'answer_instruction is optional');
  assert.equal(b.skipped.map((s) => [s.index, s.id, s.task, s.field]), [
    [1, '101', 'perception', 'annotation_perception'],
    [1, '101', 'instruction', 'question_instruction'],
    [2, '102', 'reasoning', 'answer_reasoning'],
    [3, '103', 'perception', 'annotation_perception'],
    [4, b.skipped[4]!.id, null, 'image'],
  ]);
  assert.match(b.skipped[4]!.id, /^item-[0-9a-f]{12}$/, 'no image path to name it after: a hash of its questions');
  // Stable: the same ids on a second read and from JSON lines.
  const again = await readBench(join(fx, 'vtbench.jsonl'));
  assert.equal(again.items.map((i) => i.id), b.items.map((i) => i.id));
  assert.equal(again.skipped, b.skipped.map((s) => s));
});

test('official JSON with paths from another machine: found under --images, else one line saying where it looked', async () => {
  const e = await rejects(readBench(join(fx, 'elsewhere.json')), /elsewhere\.json: item 0 \(id "100"\) field "image": image file \/data\/VTBench\/images\/100\.jpg not found .*--images DIR/);
  assert.equal([e.index, e.field], [0, 'image']);
  const b = await readBench(join(fx, 'elsewhere.json'), { images: join(fx, 'images') });
  assert.equal(b.items.map((i) => i.id), (await readBench(join(fx, 'vtbench.json'))).items.map((i) => i.id));
  await rejects(readBench(join(fx, 'vtbench.json'), { images: join(fx, 'nowhere') }), /images folder .*nowhere \(--images\) not found/);
});

test('broken records: an error naming file, item and field; --skip-broken reports them instead', async () => {
  await rejects(readBench(join(fx, 'broken-type.json')), /broken-type\.json: item 0 \(id "100"\) field "question_perception": expected a string, got an array$/);
  await rejects(readBench(join(fx, 'broken-path.json')), /broken-path\.json: item 2 \(id "102"\) field "annotation_instruction": image file images\/missing\.png not found/);
  const b = await readBench(join(fx, 'broken-path.json'), { skipBroken: true });
  assert.equal(b.items.map((i) => [i.id, tasks(i)]).slice(0, 3), [['100', 'PIR'], ['101', '--R'], ['102', 'P--']]);
  assert.ok(b.skipped.some((s) => s.id === '102' && s.task === 'instruction' && /not found/.test(s.reason)));
});

test('HF parquet: ids, dataset-entity, answer_perception, null and "null" ground truth', async () => {
  const b = await readBench(join(fx, 'hf.parquet'));
  assert.equal(b.items.map((i) => [i.id, tasks(i), i.entity, i.domain]), [
    ['vt-0', 'PIR', 'GeoQA', 'unknown'], ['vt-1', '--R', 'MathVerse', 'unknown'], ['vt-2', 'PI-', 'MathVerse', 'unknown'],
  ]);
  assert.type(b.items[0]!.perception!.answer, 'string');
  assert.equal(b.skipped.map((s) => [s.id, s.task, s.field]), [
    ['vt-1', 'perception', 'annotation_perception'], ['vt-1', 'instruction', 'annotation_instruction'], ['vt-2', 'reasoning', 'answer_reasoning'],
  ]);
  await rejects(readBench(join(fx, 'hf-broken.parquet')), /hf-broken\.parquet: item 1 \(id "vt-1"\) field "annotation_perception": undecodable image \(19 bytes/);
});

test.run();
