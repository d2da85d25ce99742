// Queue executor benchmarks (figures, not assertions), against a private redis-server on loopback:
//  1. overhead per stage: a chain of trivial stages (each waits for the previous one), run locally with the
//     process executor and through the queue with one worker; median wall time from `started` to `ran` per stage;
//  2. speed-up of a CPU-bound, synthesis-like fixture (independent stages that generate and hash seeded samples)
//     with 1 versus 2 workers (the local process executor with --jobs 2 alongside for reference).
// Needs Debian's redis-server. BENCH_CHAIN (default 30) and BENCH_SYNTH (stages, default 6) scale it.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { type EngineEvent, loadProject, QueueExecutor, runPipeline } from '@vthinker/engine/api';
import { Fixture } from '../packages/engine/test/fixture.ts';
import { haveRedis, startRedis, type RedisServer } from '../packages/engine/test/queue/redis.ts';

const BIN = join(resolve(import.meta.dirname, '..'), 'bin', 'vthinker.js');
const CHAIN = Number(process.env.BENCH_CHAIN ?? 30);
const SYNTH = Number(process.env.BENCH_SYNTH ?? 6);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 8000);
const PREFIX = `bench${process.pid}`;
process.env.VTHINKER_QUEUE_PREFIX = PREFIX;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function chainFiles(): Record<string, string> {
  const names = Array.from({ length: CHAIN }, (_, i) => `s${i}`);
  const files: Record<string, string> = { 'params.yaml': 'params:\n  seed: 1\n' };
  names.forEach((name, i) => {
    const prev = names[i - 1];
    files[`stages/${name}.ts`] = `import { stage, file${prev ? ', from' : ''} } from '@vthinker/engine';
import { writeFileSync } from 'node:fs';
export default stage({ name: '${name}', module: import.meta.url, params: ['seed'],${prev ? ` inputs: { x: from('${prev}', 'out') },` : ''}
  outputs: { out: file('${name}.txt') }, run(ctx) { writeFileSync(ctx.output('out'), '${name}'); } });
`;
  });
  files['pipeline.ts'] = `import { pipeline } from '@vthinker/engine';
${names.map((n) => `import ${n} from './stages/${n}.ts';`).join('\n')}
export default pipeline({ name: 'chain', stages: [${names.join(', ')}] });
`;
  return files;
}

function synthFiles(): Record<string, string> {
  const files: Record<string, string> = { 'params.yaml': `params:\n  synth: {samples: ${SAMPLES}}\n` };
  files['stages/synth.ts'] = `import { matrix, file } from '@vthinker/engine';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
const shards = ${JSON.stringify(Array.from({ length: SYNTH }, (_, i) => `shard${i}`))};
export default matrix('synth', shards, (shard) => ({
  module: import.meta.url, params: ['synth.samples'], outputs: { samples: file('samples.jsonl') }, resources: { cpu: 1 },
  run(ctx) {
    // A seeded generator plus a pixel loop: stands in for scene synthesis and rendering (CPU-bound, deterministic).
    let s = [...shard].reduce((a, c) => a * 31 + c.charCodeAt(0), 7) >>> 0;
    const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    const lines = [];
    const n = ctx.param('synth.samples');
    for (let i = 0; i < n; i++) {
      const pixels = new Uint8Array(64 * 64);
      const cx = rnd() * 64, cy = rnd() * 64, r = 4 + rnd() * 20;
      for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) pixels[y * 64 + x] = (x - cx) ** 2 + (y - cy) ** 2 < r * r ? 255 : 0;
      let h = createHash('sha256').update(pixels).digest('hex');
      for (let k = 0; k < 40; k++) h = createHash('sha256').update(h).update(pixels).digest('hex');
      lines.push(JSON.stringify({ i, cx, cy, r, h: h.slice(0, 16) }));
      if (i % 500 === 0) ctx.progress(i, n);
    }
    writeFileSync(ctx.output('samples'), lines.join('\\n') + '\\n');
  },
}));
`;
  files['pipeline.ts'] = `import { pipeline } from '@vthinker/engine';
import synth from './stages/synth.ts';
export default pipeline({ name: 'synth', stages: [...synth] });
`;
  return files;
}

function startWorker(root: string, url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'worker', '--queues', 'cpu'], { cwd: root, env: { ...process.env, VTHINKER_REDIS_URL: url } });
  let out = '';
  return new Promise((res, rej) => {
    child.stdout!.on('data', (c: Buffer) => ((out += c.toString()), /serving/.test(out) && res(child)));
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', () => rej(new Error(`worker exited: ${out}`)));
  });
}

const stop = (c: ChildProcess) => new Promise<void>((res) => (c.exitCode !== null ? res() : (c.once('exit', () => res()), c.kill('SIGTERM'))));

/** Runs the fixture's pipeline in this process (every stage forced) and returns per-stage started->ran times and the wall time. */
async function timedRun(root: string, executor: 'process' | QueueExecutor, jobs?: number): Promise<{ perStage: number[]; stageS: number[]; wallS: number }> {
  process.chdir(root); // the engine resolves project files against the working directory, as the CLI runs
  const project = await loadProject(root);
  const at = new Map<string, number>();
  const perStage: number[] = [];
  const stageS: number[] = [];
  const sink = (e: EngineEvent) => {
    if (e.type === 'started') at.set(e.stage, performance.now());
    if (e.type === 'ran') {
      perStage.push(performance.now() - at.get(e.stage)!);
      stageS.push(e.durationS);
    }
    if (e.type === 'failed') throw new Error(`${e.stage}: ${e.error}`);
  };
  const t0 = performance.now();
  const summary = await runPipeline(project, { executor, force: project.graph.order, sink, ...(jobs ? { pools: { jobs } } : {}) });
  if (!summary.ok) throw new Error('run failed');
  return { perStage, stageS, wallS: (performance.now() - t0) / 1000 };
}

async function main(): Promise<void> {
  if (!haveRedis()) {
    console.log('bench/queue: redis-server is not installed (apt-get install redis-server); nothing measured');
    return;
  }
  const redis: RedisServer = await startRedis();
  const queue = await QueueExecutor.connect({ url: redis.url, pollMs: 500 });
  const fixtures: Fixture[] = [];
  const workers: ChildProcess[] = [];
  try {
    console.log(`queue executor on redis-server ${redis.url} (loopback); 2-core machine figures are noisy, compare ratios`);
    const chain = new Fixture(chainFiles());
    fixtures.push(chain);
    await timedRun(chain.root, 'process'); // warm the store and the code hashes
    const local = await timedRun(chain.root, 'process');
    workers.push(await startWorker(chain.root, redis.url));
    await timedRun(chain.root, queue); // warm the worker
    const queued = await timedRun(chain.root, queue);
    const ml = median(local.perStage);
    const mq = median(queued.perStage);
    console.log(`\n1. trivial stages (a chain of ${CHAIN}), median started->ran per stage:`);
    console.log(`   local (process executor)  ${ml.toFixed(1)} ms   whole chain ${local.wallS.toFixed(2)} s`);
    console.log(`   queue (1 worker)          ${mq.toFixed(1)} ms   whole chain ${queued.wallS.toFixed(2)} s`);
    console.log(`   queue overhead per stage  ${(mq - ml).toFixed(1)} ms (submit, Redis round trips, key re-check and input materialisation on the worker)`);
    await Promise.all(workers.splice(0).map(stop));

    const synth = new Fixture(synthFiles());
    fixtures.push(synth);
    const local1 = await timedRun(synth.root, 'process', 1);
    const local2 = await timedRun(synth.root, 'process', 2);
    workers.push(await startWorker(synth.root, redis.url));
    const one = await timedRun(synth.root, queue);
    workers.push(await startWorker(synth.root, redis.url));
    const two = await timedRun(synth.root, queue);
    console.log(`\n2. CPU-bound synthesis-like fixture: ${SYNTH} independent stages of ${SAMPLES} samples, median stage ${median(local1.stageS).toFixed(2)} s (child process included):`);
    console.log(`   local --jobs 1   ${local1.wallS.toFixed(2)} s`);
    console.log(`   local --jobs 2   ${local2.wallS.toFixed(2)} s   (x${(local1.wallS / local2.wallS).toFixed(2)})`);
    console.log(`   queue 1 worker   ${one.wallS.toFixed(2)} s`);
    console.log(`   queue 2 workers  ${two.wallS.toFixed(2)} s   speed-up x${(one.wallS / two.wallS).toFixed(2)}`);
  } finally {
    await Promise.all(workers.map(stop));
    await queue.close();
    await redis.stop();
    process.chdir(resolve(import.meta.dirname, '..'));
    for (const f of fixtures) f.remove();
  }
}

await main();
