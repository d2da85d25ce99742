// bench/ir-by-drawing.ts: IR split by whether the response's own construction matches the gold one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { irByDrawing } from '../../bench/ir-by-drawing.ts';
import { buildItems, selectItems } from '../../vthinker/bench/items.ts';
import { fileStem } from '../../vthinker/bench/layout.ts';
import { wrongAnswer } from '../../vthinker/bench/outputs.ts';
import { formatProgram } from '../../vthinker/scene/drawlang.ts';
import type { DrawOp } from '../../vthinker/scene/types.ts';
import { splitHeldOut } from '../../vthinker/synth/split.ts';
import { synthesize } from '../../vthinker/synth/synthesize.ts';

const { samples } = synthesize({ seed: 5, count: 120 });
const items = selectItems(buildItems(splitHeldOut(samples, { seed: 5, fraction: 0.3 }).heldOut).items, { perTask: 18, seed: 2 })
  .filter((i) => i.truth);

// A response as renderOracleOutputs writes one (its helper is private to vthinker/bench/outputs.ts, which the eval
// stages import: exporting it would re-key them for no change in what they compute).
const response = (ops: readonly DrawOp[] | null, answer: string) =>
  `<think> look${ops ? ` <code> ${formatProgram([...ops])} </code> <sandbox_output> <image> </sandbox_output>` : ''} </think> <answer> ${answer} </answer>`;

test('each response lands on its side of the split; items without a response are left out', async () => {
  assert.ok(items.length >= 12, `${items.length} items with geometric truth`);
  const dir = mkdtempSync(join(tmpdir(), 'ir-by-drawing-'));
  try {
    // Cycle: gold drawing zoomed + gold answer, gold drawing + wrong answer, no drawing + gold answer, no response.
    const expected = new Map<string, [number, number, number, number, number]>();
    const zoom: DrawOp = { op: 'crop', box: [10, 20, 60, 52] };
    items.forEach((item, i) => {
      const gold = item.reasoning.answer, ops = item.truth!.ops;
      const kind = i % 4;
      if (kind === 3) return;
      const text = kind === 0 ? response([...ops, zoom], gold) : kind === 1 ? response(ops, wrongAnswer(gold)) : response(null, gold);
      writeFileSync(join(dir, `${fileStem(item.id)}.reasoning.txt`), text);
      const e = expected.get(item.family!) ?? [0, 0, 0, 0, 0];
      e[0]++;
      if (kind < 2) e[1]++;
      if (kind === 0) e[2]++;
      if (kind === 0) e[3]++;
      if (kind === 2) e[4]++;
      expected.set(item.family!, e);
    });
    const rows = await irByDrawing(items, dir);
    assert.equal(rows.map((r) => r.family), [...expected.keys()].sort());
    for (const r of rows) assert.equal([r.items, r.drawnRight, r.zoomed, r.answeredWhenDrawnRight, r.answeredOtherwise], expected.get(r.family), r.family);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
