// Throughput of the data flywheel, single thread: samples/s for synthesis, for verification (with and without the
// render-and-diff overlay check), and the raw render rate of the renderer on the same figures, in one run.
import { renderScene } from '../vthinker/scene/render.ts';
import { createPerceptionSample } from '../vthinker/synth/perception.ts';
import { synthesize } from '../vthinker/synth/synthesize.ts';
import { verifySamples } from '../vthinker/verify/repair.ts';
import { rng } from '../vthinker/util/random.ts';

const count = Number(process.argv[2] ?? 1000);
const rate = (n: number, ms: number) => `${((n * 1000) / ms).toFixed(0)}/s`;
const time = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const out = f();
  return [out, performance.now() - t];
};

const [{ samples }, synthMs] = time(() => synthesize({ seed: 1, count }));
const [, perceptionMs] = time(() => {
  for (let i = 0; i < count; i++) createPerceptionSample(rng(i));
});
const [geom, verifyGeomMs] = time(() => verifySamples(samples, { overlay: { skipRender: true } }));
const [full, verifyMs] = time(() => verifySamples(samples));
const [, renderMs] = time(() => {
  for (const s of samples) renderScene(s.scene, s.overlay);
});
console.log(`samples: ${count} (accepted ${full.stats.accepted}, geometry-only accepted ${geom.stats.accepted})`);
console.log(`synthesis:               ${rate(count, synthMs)}`);
console.log(`perception synthesis:    ${rate(count, perceptionMs)}`);
console.log(`verification (geometry): ${rate(count, verifyGeomMs)}`);
console.log(`verification (full):     ${rate(count, verifyMs)}  (renders 1 + steps images per sample)`);
console.log(`raw render (scene+overlay, 128 px): ${rate(count, renderMs)}`);
