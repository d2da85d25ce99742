// Contact sheets (original | overlay) of random samples, the first pictures a researcher looks at per stage.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng } from '../vthinker/scene/render.ts';
import { sampleSheet } from '../vthinker/synth/stats.ts';
import type { Sample } from '../vthinker/synth/types.ts';
import type { Rng } from '../vthinker/util/random.ts';

/** Writes `samples.png` (random samples) and, when given, one sheet per named subset. */
export async function writeSheets(dir: string, samples: readonly Sample[], rng: Rng, rows: number, subsets: Record<string, readonly Sample[]> = {}): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const [name, list] of Object.entries({ samples, ...subsets })) {
    if (!list.length) continue;
    writeFileSync(join(dir, `${name}.png`), encodePng(sampleSheet(list, rng.fork(name), { count: rows, size: 160 })));
    // Let @napi-rs/canvas release native buffers between sheets (it frees them when the event loop turns).
    await new Promise((r) => setImmediate(r));
  }
}
