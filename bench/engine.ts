// Engine benchmarks (figures, not assertions):
//  1. a no-op `vthinker run` of a 7-stage pipeline whose outputs are all cached, against an equivalent 7-rule
//     Snakemake pipeline whose outputs are up to date (Debian's snakemake), in the same run: wall time of the
//     whole command, median of N;
//  2. the same for the project's own pipeline on the smoke profile, when it has been run;
//  3. `status` with 10,000 files in one artifact directory, with a cold and a warm stat cache.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Fixture } from '../test/engine/fixture.ts';

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
    files[`stages/${name}.ts`] = `import { stage, file${prev ? ', from' : ''} } from 'vthinker/engine';
import { readFileSync, writeFileSync } from 'node:fs';
export default stage({ name: '${name}', module: import.meta.url, params: ['seed'],${prev ? ` inputs: { x: from('${prev}', 'out') },` : ''}
  outputs: { out: file('${name}.txt') },
  run(ctx) { writeFileSync(ctx.output('out'), ${prev ? "readFileSync(ctx.input('x'), 'utf8') + " : ''}'${name}\\n'); } });
`;
  });
  files['pipeline.ts'] = `import { pipeline } from 'vthinker/engine';\n${CHAIN.map((n) => `import ${n} from './stages/${n}.ts';`).join('\n')}\nexport default pipeline({ name: 'chain', stages: [${CHAIN.join(', ')}] });\n`;
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

function noopComparison(): void {
  const fx = chainFixture();
  fx.cli(['run']);
  const ours = timeMany(() => wall(process.execPath, [BIN, 'run'], fx.root));
  const snake = snakemakeFixture();
  console.log('\n## no-op run of a 7-stage pipeline (everything cached), median of', REPEATS);
  console.log(`vthinker run           ${ours.toFixed(3)} s`);
  if (snake) {
    const theirs = timeMany(() => wall('snakemake', ['--cores', '1', '--quiet'], snake));
    console.log(`snakemake (7 rules)    ${theirs.toFixed(3)} s`);
    console.log(`ratio snakemake/vthinker ${(theirs / ours).toFixed(2)}x`);
    rmSync(snake, { recursive: true, force: true });
  } else console.log('snakemake not installed (apt-get install snakemake): comparison skipped');
  const status = timeMany(() => wall(process.execPath, [BIN, 'status'], fx.root));
  console.log(`vthinker status        ${status.toFixed(3)} s`);
  fx.remove();
}

function projectSmoke(): void {
  if (!existsSync(join(ROOT, 'lockfiles', 'smoke.lock.yaml'))) return console.log('\n(project smoke profile not run yet: skipped)');
  wall(process.execPath, [BIN, 'run', '--profile', 'smoke'], ROOT);
  const t = timeMany(() => wall(process.execPath, [BIN, 'run', '--profile', 'smoke'], ROOT));
  console.log(`\n## no-op run of this project's pipeline, smoke profile: ${t.toFixed(3)} s (median of ${REPEATS})`);
}

function manyFiles(): void {
  const fx = new Fixture({
    'params.yaml': 'params:\n  n: 10000\n',
    'stages/many.ts': `import { stage, dir } from 'vthinker/engine';
import { mkdirSync, writeFileSync } from 'node:fs';
export default stage({ name: 'many', module: import.meta.url, params: ['n'], outputs: { files: dir('files') },
  run(ctx) { const d = ctx.output('files'); mkdirSync(d, { recursive: true });
    for (let i = 0; i < ctx.param<number>('n'); i++) writeFileSync(d + '/' + i + '.txt', 'file ' + i + ' '.repeat(i % 97)); } });
`,
    'pipeline.ts': `import { pipeline } from 'vthinker/engine';\nimport many from './stages/many.ts';\nexport default pipeline({ name: 'many', stages: [many] });\n`,
  });
  fx.cli(['run']);
  const cache = join(fx.root, 'artifacts/store/stat-cache.json');
  const cold = timeMany(() => {
    rmSync(cache, { force: true });
    return wall(process.execPath, [BIN, 'status'], fx.root);
  });
  wall(process.execPath, [BIN, 'status'], fx.root);
  const warm = timeMany(() => wall(process.execPath, [BIN, 'status'], fx.root));
  console.log('\n## `status` with 10,000 files in one artifact directory (whole command, median of', REPEATS, ')');
  console.log(`cold stat cache (every blob re-hashed)  ${cold.toFixed(3)} s`);
  console.log(`warm stat cache (stat calls only)       ${warm.toFixed(3)} s`);
  console.log(`ratio cold/warm ${(cold / warm).toFixed(2)}x`);
  fx.remove();
}

noopComparison();
projectSmoke();
manyFiles();
