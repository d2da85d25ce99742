// Interactive Reasoning split by the model's own drawing: does the construction in an IR response match the gold one
// (the IGI task's geometric check, applied to the IR text), and how often is the answer right on either side? It
// tells "draws the wrong thing" apart from "draws the right thing and does not read it". A zoom (`crop`, rl1.zoom) in
// the response is set aside for the drawing check, which would otherwise fail it as an edit, and counted.
//   node --import tsx bench/ir-by-drawing.ts BENCH_JSON OUTPUTS_DIR...
//   e.g. artifacts/tiny/benchmark/bench/vtbench.json artifacts/tiny/eval@m0/outputs artifacts/tiny/eval@m2/outputs
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileStem, loadBenchJson } from '../vthinker/bench/layout.ts';
import { answerJudge, geometricJudge } from '../vthinker/bench/judges.ts';
import type { BenchItem } from '../vthinker/bench/types.ts';

export interface DrawingSplit {
  family: string;
  /** IR items of the family with geometric truth and a response. */
  items: number;
  /** Responses whose construction (zoom aside) matches the gold one. */
  drawnRight: number;
  /** Responses whose code zooms. */
  zoomed: number;
  /** Right answers among those, and among the rest. */
  answeredWhenDrawnRight: number;
  answeredOtherwise: number;
}

/** A `crop` operation of the drawing language: the word and its four numbers. */
const CROP_LINE = /\bcrop(\s+-?\d+(\.\d+)?){4}/g;

/** Per family (sorted), over the `<stem>.reasoning.txt` responses in outputsDir; items without truth or response are left out. */
export async function irByDrawing(items: readonly BenchItem[], outputsDir: string): Promise<DrawingSplit[]> {
  const drawing = geometricJudge('instruction'), answer = answerJudge();
  const byFamily = new Map<string, DrawingSplit>();
  for (const item of items) {
    const file = join(outputsDir, `${fileStem(item.id)}.reasoning.txt`);
    if (!item.truth || !existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const unzoomed = text.replace(CROP_LINE, '');
    const drawnRight = (await drawing.judge(item, { text: unzoomed })).score === 1;
    const answered = (await answer.judge(item, { text })).score === 1;
    const family = item.family ?? 'unknown';
    const s = byFamily.get(family) ?? { family, items: 0, drawnRight: 0, zoomed: 0, answeredWhenDrawnRight: 0, answeredOtherwise: 0 };
    s.items++;
    if (unzoomed !== text) s.zoomed++;
    if (drawnRight) s.drawnRight++;
    if (answered && drawnRight) s.answeredWhenDrawnRight++;
    if (answered && !drawnRight) s.answeredOtherwise++;
    byFamily.set(family, s);
  }
  return [...byFamily.values()].sort((a, b) => a.family.localeCompare(b.family));
}

const pct = (n: number, of: number): string => (of ? ((100 * n) / of).toFixed(1) : '-').padStart(8);

if (import.meta.url === `file://${process.argv[1]}`) {
  const [bench, ...dirs] = process.argv.slice(2);
  if (!bench || !dirs.length) throw new Error('usage: bench/ir-by-drawing.ts BENCH_JSON OUTPUTS_DIR...');
  const items = await loadBenchJson(bench);
  for (const dir of dirs) {
    const rows = await irByDrawing(items, dir);
    console.log(`\n${dir}\n${'family'.padEnd(18)}   n    zooms  drawn right  IR | drawn right  IR | otherwise`);
    const sum = (k: keyof Omit<DrawingSplit, 'family'>) => rows.reduce((t, r) => t + r[k], 0);
    const all: DrawingSplit = { family: 'all', items: sum('items'), drawnRight: sum('drawnRight'), zoomed: sum('zoomed'), answeredWhenDrawnRight: sum('answeredWhenDrawnRight'), answeredOtherwise: sum('answeredOtherwise') };
    for (const r of [...rows, all]) {
      console.log(`${r.family.padEnd(18)} ${String(r.items).padStart(3)} ${pct(r.zoomed, r.items)}% ${pct(r.drawnRight, r.items)}%    ${pct(r.answeredWhenDrawnRight, r.drawnRight)}%      ${pct(r.answeredOtherwise, r.items - r.drawnRight)}%`);
    }
  }
}
