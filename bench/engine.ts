// Engine benchmarks (figures, not assertions):
//  1. a no-op `vthinker run` of a 7-stage pipeline whose outputs are all cached, and of this project's pipeline (its
//     default profile, tiny or smoke: the first whose stages are all fresh here), against an equivalent 7-rule
//     Snakemake pipeline whose outputs are up to date (Debian's snakemake), in the same run: wall time of the whole
//     command, median of N, `status`, and a run that checks every workspace file (--verify);
//  2. `status` with 10,000 files in one artifact directory: cold and warm stat cache (--verify), and sealed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Fixture } from '../packages/engine/test/fixture.ts';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'vthinker.js');
const REPEATS = Number(process.env.BENCH_REPEATS ?? 7);

function wall(cmd: string, args: string[], cwd: string): number {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return (performance.now() - t) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const timeMany = (f: () => number) => median(Array.from({ length: REPEATS }, f));

const CHAIN = ['s1', 's2', 's3', 's4', 's5', 's6', 's7'];

function chainFixture(): Fixture {
  const files: Record<string, string> = { 'params.yaml': 'params:\n  seed: 1\n' };
  CHAIN.forEach((name, i) => {
    const prev = CHAIN[i - 1];
    files[`stages/${name}.ts`] = `import { stage, file${prev ? ', from' : ''} } from '@vthinker/engine';
import { readFileSync, writeFileSync } from 'node:fs';
export default stage({ name: '${name}', module: import.meta.url, params: ['seed'],${prev ? ` inputs: { x: from('${prev}', 'out') },` : ''}
  outputs: { out: file('${name}.txt') },
  run(ctx) { writeFileSync(ctx.output('out'), ${prev ? "readFileSync(ctx.input('x'), 'utf8') + " : ''}'${name}\\n'); } });
`;
  });
  files['pipeline.ts'] = `import { pipeline } from '@vthinker/engine';\n${CHAIN.map((n) => `import ${n} from './stages/${n}.ts';`).join('\n')}\nexport default pipeline({ name: 'chain', stages: [${CHAIN.join(', ')}] });\n`;
  return new Fixture(files);
}

function snakemakeFixture(): string | undefined {
  if (spawnSync('snakemake', ['--version']).status !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'vt-snake-'));
  const rules = CHAIN.map((name, i) => {
    const prev = CHAIN[i - 1];
    return `rule ${name}:\n${prev ? `    input: "${prev}.txt"\n` : ''}    output: "${name}.txt"\n    shell: "${prev ? `cat {input} > {output} && ` : ''}echo ${name} >> {output}"\n`;
  });
  writeFileSync(join(dir, 'Snakefile'), `rule all:\n    input: "s7.txt"\n\n${rules.join('\n')}`);
  wall('snakemake', ['--cores', '1', '--quiet'], dir);
  return dir;
}

/** Median wall time of each command, sampled round-robin so that load changes on the machine hit all alike. */
function interleaved(commands: Record<string, [cmd: string, args: string[], cwd: string]>): Record<string, number> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < REPEATS; i++) for (const [name, [cmd, args, cwd]] of Object.entries(commands)) samples[name]!.push(wall(cmd, args, cwd));
  return Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, median(xs)]));
}

const allFresh = (profile: string): boolean => {
  const r = spawnSync(process.execPath, [BIN, 'status', '--profile', profile, '--json'], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 && (JSON.parse(r.stdout) as Array<{ state: string }>).every((s) => s.state === 'fresh');
};

/**
 * The profile whose no-op is measured: the default (`wide`) or `tiny` when every stage is fresh here, else `smoke`,
 * run once first so that it is; undefined when even that has no lock file.
 */
function cachedProfile(): string | undefined {
  for (const profile of ['wide', 'tiny']) if (allFresh(profile)) return profile;
  if (!existsSync(join(ROOT, 'lockfiles', 'smoke.lock.yaml'))) return undefined;
  wall(process.execPath, [BIN, 'run', '--profile', 'smoke'], ROOT);
  if (!allFresh('smoke')) console.log('(the smoke profile is not all fresh after a run: its figures are not a no-op)');
  return 'smoke';
}

/** Views changed within the last second are not sealed (view-seals.ts): wait that out, so no-ops measure seals. */
const sleepPastRacyWindow = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1100);

function noopComparison(): void {
  const fx = chainFixture();
  fx.cli(['run']);
  const snake = snakemakeFixture();
  const project = cachedProfile();
  sleepPastRacyWindow();
  const t = interleaved({
    chain: [process.execPath, [BIN, 'run'], fx.root],
    ...(project ? { project: [process.execPath, [BIN, 'run', '--profile', project], ROOT] } : {}),
    ...(snake ? { snakemake: ['snakemake', ['--cores', '1', '--quiet'], snake] } : {}),
    chainStatus: [process.execPath, [BIN, 'status'], fx.root],
    ...(project ? { projectStatus: [process.execPath, [BIN, 'status', '--profile', project], ROOT] } : {}),
    ...(project ? { projectVerify: [process.execPath, [BIN, 'run', '--profile', project, '--verify'], ROOT] } : {}),
  });
  const ratio = (ours: number | undefined) => (t.snakemake && ours ? `  (snakemake / this ${(t.snakemake / ours).toFixed(2)}x)` : '');
  console.log('\n## no-op run, everything cached (whole command, median of', REPEATS, 'sampled in turn)');
  console.log(`vthinker run, 7-stage chain              ${t.chain!.toFixed(3)} s${ratio(t.chain)}`);
  if (project) console.log(`vthinker run, this project (${project})`.padEnd(41) + ` ${t.project!.toFixed(3)} s${ratio(t.project)}`);
  else console.log('this project: smoke profile not run yet (vthinker run --profile smoke): skipped');
  if (snake) console.log(`snakemake, 7 rules                       ${t.snakemake!.toFixed(3)} s`);
  else console.log('snakemake not installed (apt-get install snakemake): comparison skipped');
  console.log(`vthinker status, 7-stage chain           ${t.chainStatus!.toFixed(3)} s`);
  if (project) console.log(`vthinker status, this project (${project})`.padEnd(41) + ` ${t.projectStatus!.toFixed(3)} s`);
  if (project) console.log(`vthinker run --verify, this project`.padEnd(41) + ` ${t.projectVerify!.toFixed(3)} s  (every workspace file checked)`);
  if (snake) rmSync(snake, { recursive: true, force: true });
  fx.remove();
}

function manyFiles(): void {
  const fx = new Fixture({
    'params.yaml': 'params:\n  n: 10000\n',
    'stages/many.ts': `import { stage, dir } from '@vthinker/engine';
import { mkdirSync, writeFileSync } from 'node:fs';
export default stage({ name: 'many', module: import.meta.url, params: ['n'], outputs: { files: dir('files') },
  run(ctx) { const d = ctx.output('files'); mkdirSync(d, { recursive: true });
    for (let i = 0; i < ctx.param<number>('n'); i++) writeFileSync(d + '/' + i + '.txt', 'file ' + i + ' '.repeat(i % 97)); } });
`,
    'pipeline.ts': `import { pipeline } from '@vthinker/engine';\nimport many from './stages/many.ts';\nexport default pipeline({ name: 'many', stages: [many] });\n`,
  });
  fx.cli(['run']);
  sleepPastRacyWindow();
  const store = join(fx.root, 'artifacts/store');
  const status = (...flags: string[]) => wall(process.execPath, [BIN, 'status', ...flags], fx.root);
  const cold = timeMany(() => {
    rmSync(join(store, 'stat-cache'), { recursive: true, force: true });
    return status('--verify');
  });
  const checked = timeMany(() => status('--verify'));
  status();
  const sealed = timeMany(() => status());
  console.log('\n## `status` with 10,000 files in one artifact directory (whole command, median of', REPEATS, ')');
  console.log(`cold stat cache, --verify (every blob re-hashed)  ${cold.toFixed(3)} s`);
  console.log(`warm stat cache, --verify (two stats a file)      ${checked.toFixed(3)} s`);
  console.log(`sealed view (its folder's stats)                  ${sealed.toFixed(3)} s`);
  console.log(`ratio cold/checked ${(cold / checked).toFixed(2)}x, checked/sealed ${(checked / sealed).toFixed(2)}x`);
  fx.remove();
}

noopComparison();
manyFiles();
