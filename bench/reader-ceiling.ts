// The reading ceiling of Interactive Reasoning: each model answers the validation questions (the held-out pool minus
// the benchmark's items) with the *gold* construction already drawn (vthinker/curriculum/reading.ts; a direct-answer
// model reads the original figure). Whatever a model draws, its IR cannot beat what it reads off a perfect drawing,
// so a reader no better than the base here caps M0 minus base near zero. Scores are plain and re-weighted per family
// as the benchmark draws its items; families whose gold thought states the answer before the view (e.g. curve-value's
// "draw horizontal line at 5") read trivially here and are also left out of a third total.
//   node --import tsx bench/reader-ceiling.ts HELDOUT_JSONL VTBENCH_JSON N [--zoom] NAME=MODEL_DIR[:direct]...
// e.g. base=artifacts/tiny/base/model:direct m1=artifacts/tiny/rl1/model (N: validation questions drawn, seeded);
// `--zoom`: the gold constructions end with the chart families' zoom (`rl1.zoom`), for readers trained with it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBenchJson } from '../vthinker/bench/layout.ts';
import { initCompute } from '../vthinker/compute/setup.ts';
import { episodesOf } from '../vthinker/curriculum/data.ts';
import { goldViewReading } from '../vthinker/curriculum/reading.ts';
import { loadWeights } from '../vthinker/model/weights.ts';
import { Tokenizer } from '../vthinker/policy/tokenizer.ts';
import type { Sample } from '../vthinker/synth/types.ts';
import { countBy } from '../vthinker/util/count.ts';
import { readJsonl } from '../vthinker/util/jsonl.ts';
import { rng } from '../vthinker/util/random.ts';
import { statesAnswer } from './answer-stated.ts';
import { familyWeighted } from './family-weights.ts';

const USAGE = 'usage: bench/reader-ceiling.ts HELDOUT_JSONL VTBENCH_JSON N [--zoom] NAME=MODEL_DIR[:direct]...';
const zoom = process.argv.includes('--zoom');
const [heldout, benchFile, nArg, ...modelArgs] = process.argv.slice(2).filter((a) => a !== '--zoom');
const n = Number(nArg);
if (!heldout || !benchFile || !(n > 0) || !modelArgs.length) throw new Error(USAGE);
const models = modelArgs.map((a) => {
  const m = /^([\w@-]+)=(.+?)(:direct)?$/.exec(a);
  if (!m) throw new Error(`${a}: expected NAME=MODEL_DIR or NAME=MODEL_DIR:direct\n${USAGE}`);
  return { name: m[1]!, dir: m[2]!, direct: Boolean(m[3]) };
});

await initCompute();
const bench = await loadBenchJson(benchFile);
const inBench = new Set(bench.map((i) => i.id));
const weights = countBy(bench, (i) => i.family ?? 'unknown');
const samples = rng(1).fork('reader-ceiling').shuffle(readJsonl<Sample>(heldout).filter((s) => !inBench.has(s.id))).slice(0, n);

const interactive = episodesOf(samples, ['reasoning'], { multiStep: false, zoom });
const stated = countBy(interactive.filter((e) => statesAnswer(e.spec)), (e) => e.family);
const total = countBy(interactive, (e) => e.family);
const leaky = new Set(Object.keys(stated).filter((f) => stated[f]! >= 0.95 * total[f]!));

const results = models.map((m) => {
  const tok = Tokenizer.fromJSON(JSON.parse(readFileSync(join(m.dir, 'tokenizer.json'), 'utf8')));
  const policy = loadWeights(m.dir);
  const r = goldViewReading(policy, tok, m.direct ? episodesOf(samples, ['reasoning'], { direct: true, multiStep: false }) : interactive);
  const parameters = policy.params.count;
  policy.dispose();
  return { ...m, ...r, parameters };
});

const pct = (v: number) => (100 * v).toFixed(1);
const families = Object.keys(weights).sort((a, b) => weights[b]! - weights[a]! || (a < b ? -1 : 1));
console.log(`| family | benchmark items | questions | ${results.map((r) => r.name).join(' | ')} |`);
console.log(`|---|---:|---:|${results.map(() => '---:').join('|')}|`);
console.log(`| parameters | | | ${results.map((r) => `${(r.parameters / 1000).toFixed(0)}k`).join(' | ')} |`);
for (const f of families) {
  const cells = results.map((r) => (r.families[f] ? pct(r.families[f]![0] / r.families[f]![1]) : '-'));
  console.log(`| ${f}${leaky.has(f) ? ' (answer stated before the view)' : ''} | ${weights[f]} | ${total[f] ?? 0} | ${cells.join(' | ')} |`);
}
console.log(`| **plain** | | ${results[0]!.count} | ${results.map((r) => pct(r.accuracy)).join(' | ')} |`);
console.log(`| **benchmark-weighted** | | | ${results.map((r) => pct(familyWeighted(Object.entries(r.families), weights))).join(' | ')} |`);
console.log(`| **weighted, without ${[...leaky].join(', ') || 'none'}** | | | ${results.map((r) => pct(familyWeighted(Object.entries(r.families), weights, leaky))).join(' | ')} |`);
