// Throughput of the data flywheel in one run: samples/s for synthesis and for verification (geometry only; full
// with the render-and-diff overlay check, on 1 and 2 threads) against the raw render rate of the renderer on the
// same figures (1 thread and 2 threads). Verification renders 1 + steps images per sample, so its
// "render-equivalent" rate (images rendered inside verify per second) is the figure to hold against the raw rate.
import { renderScene } from '../vthinker/scene/render.ts';
import { createPerceptionSample } from '../vthinker/synth/perception.ts';
import { synthesize } from '../vthinker/synth/synthesize.ts';
import { verifyParallel } from '../vthinker/verify/parallel.ts';
import { verifySamples } from '../vthinker/verify/repair.ts';
import { mapChunks, serveChunks } from '../vthinker/util/ts-worker.ts';
import { rng } from '../vthinker/util/random.ts';
import type { Sample } from '../vthinker/synth/types.ts';

const renderAll = (samples: Sample[]) => {
  for (const s of samples) renderScene(s.scene, s.overlay);
  return samples.length;
};
await serveChunks(import.meta.url, renderAll);

const { isMainThread } = await import('node:worker_threads');
if (isMainThread) {
  const count = Number(process.argv[2] ?? 4000);
  const rate = (n: number, ms: number) => (n * 1000) / ms;
  const fmt = (r: number) => `${r.toFixed(0).padStart(6)}/s`;
  const time = async <T>(f: () => T | Promise<T>): Promise<[T, number]> => {
    const t = performance.now();
    const out = await f();
    return [out, performance.now() - t];
  };

  const [{ samples }, synthMs] = await time(() => synthesize({ seed: 1, count }));
  const [, perceptionMs] = await time(() => {
    for (let i = 0; i < count; i++) createPerceptionSample(rng(i));
  });
  const imagesPerSample = samples.reduce((a, s) => a + 1 + s.steps.length, 0) / samples.length;
  const [, verifyGeomMs] = await time(() => verifySamples(samples, { overlay: { skipRender: true } }));
  const [, verify1Ms] = await time(() => verifyParallel(samples, {}, 1));
  const [, verify2Ms] = await time(() => verifyParallel(samples, {}, 2));
  const [, render1Ms] = await time(() => renderAll(samples));
  const [, render2Ms] = await time(() => mapChunks(new URL(import.meta.url), samples, 2, renderAll));
  const raw1 = rate(count, render1Ms), raw2 = rate(count, render2Ms);
  console.log(`samples: ${count}; verification renders ${imagesPerSample.toFixed(2)} images per sample`);
  console.log(`raw render (scene+overlay, 128 px)      1 thread ${fmt(raw1)}   2 threads ${fmt(raw2)}`);
  console.log(`synthesize (interactive)                1 thread ${fmt(rate(count, synthMs))}   (${(rate(count, synthMs) / raw1).toFixed(2)}x raw render)`);
  console.log(`synthesize (perception)                 1 thread ${fmt(rate(count, perceptionMs))}`);
  console.log(`verify, geometry only                   1 thread ${fmt(rate(count, verifyGeomMs))}`);
  for (const [threads, ms, raw] of [[1, verify1Ms, raw1], [2, verify2Ms, raw2]] as const) {
    const r = rate(count, ms);
    console.log(`verify, full                            ${threads} thread${threads > 1 ? 's' : ' '} ${fmt(r)}   render-equivalent ${fmt(r * imagesPerSample)} = ${((r * imagesPerSample) / raw).toFixed(2)}x raw render (${threads} thread${threads > 1 ? 's' : ''})`);
  }
}
