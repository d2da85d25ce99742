// Render throughput: raw renderScene rate for typical figures at 64, 128 and 256 px, on one thread and on two
// worker threads; toModelInput and sandbox-call rates. Prints figures, asserts nothing.
// Run: node --import tsx bench/render.ts [seconds-per-figure, default 1.5]
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startTsWorker } from '../vthinker/util/ts-worker.ts';
import { renderScene, toModelInput } from '../vthinker/scene/render.ts';
import { COLOR_NAMES } from '../vthinker/scene/palette.ts';
import type { DrawOp, Scene, SceneElement } from '../vthinker/scene/types.ts';
import { createSandbox } from '../vthinker/sandbox/index.ts';
import { rng } from '../vthinker/util/random.ts';

/** A figure like the perception data's: element count ~ N(8, 4), every element kind, labelled points. */
function typicalScene(seed: number): Scene {
  const r = rng(seed);
  const p = () => [r.int(8, 120), r.int(8, 120)] as const;
  const n = Math.max(3, Math.round(r.normal(8, 4)));
  const elements: SceneElement[] = Array.from({ length: n }, (_, i): SceneElement => {
    const color = r.pick(COLOR_NAMES);
    switch (r.int(0, 5)) {
      case 0: return { kind: 'point', id: `P${i}`, at: p(), label: String.fromCharCode(65 + (i % 26)), color };
      case 1: return { kind: 'segment', from: p(), to: p(), color, dashed: r.bool(0.3) };
      case 2: return { kind: 'polygon', points: [p(), p(), p()], color, fill: r.bool() ? r.pick(COLOR_NAMES) : undefined };
      case 3: return { kind: 'circle', center: [64, 64], r: r.int(10, 50), color };
      case 4: return { kind: 'polyline', points: [p(), p(), p(), p()], color };
      default: return { kind: 'text', at: p(), text: `${r.int(1, 99)} cm`, color };
    }
  });
  return { width: 128, height: 128, elements };
}

const OVERLAY: DrawOp[] = [{ op: 'line', from: [20, 30], to: [100, 90] }, { op: 'point', at: [60, 60] }];
const SCENES = Array.from({ length: 64 }, (_, i) => typicalScene(i));

/** Renders for about `seconds`, yielding now and then so native canvas memory is released; returns images/s. */
async function renderRate(size: number, seconds: number): Promise<number> {
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    for (let i = 0; i < 50; i++) renderScene(SCENES[count++ % SCENES.length]!, OVERLAY, { size });
    await new Promise(setImmediate);
  }
  return (count * 1000) / (performance.now() - start);
}

function rate(seconds: number, body: () => void): number {
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    for (let i = 0; i < 20; i++) body();
    count += 20;
  }
  return (count * 1000) / (performance.now() - start);
}

const SIZES = [64, 128, 256];

// Node 20 does not apply --import loaders to a worker's .ts entry, so each worker registers tsx itself first.
if (!isMainThread) {
  const { size, seconds } = workerData as { size: number; seconds: number };
  parentPort!.postMessage(await renderRate(size, seconds));
} else {
  const seconds = Number(process.argv[2] ?? 1.5);
  const fmt = (v: number) => v.toFixed(0).padStart(7);
  console.log(`renderScene, typical figures (${SCENES.length} scenes, elements ~ N(8,4), 2-op overlay), images/s`);
  console.log('  size   1 thread  2 workers');
  for (const size of SIZES) {
    await renderRate(size, 0.2); // warm-up
    const single = await renderRate(size, seconds);
    const rates = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<number>((resolve, reject) => {
            const worker = startTsWorker(new URL(import.meta.url), { workerData: { size, seconds } });
            worker.once('message', resolve);
            worker.once('error', reject);
          }),
      ),
    );
    console.log(`  ${String(size).padStart(4)}  ${fmt(single)}  ${fmt(rates[0]! + rates[1]!)}`);
  }
  console.log('toModelInput (area average), images/s');
  for (const [from, to] of [[128, 64], [256, 64], [256, 128]] as const) {
    const img = renderScene(SCENES[0]!, OVERLAY, { size: from });
    const out = new Float32Array(to * to * 3);
    console.log(`  ${from} -> ${to}: ${fmt(rate(seconds, () => toModelInput(img, to, out)))}`);
  }
  const image = renderScene(SCENES[0]!);
  let n = 0;
  const calls = rate(seconds, () => {
    const box = createSandbox({ id: `bench-${n++}`, image, sceneSize: { width: 128, height: 128 } });
    box.execute('line 10 20 100 90\npoint 60 60');
  });
  console.log(`sandbox: create + one 2-op call on a 128 px image: ${fmt(calls)} calls/s`);
}
