// Every command builds the stage graph (a no-op `run`, `status`), so the stage declarations must stay light: the
// heavy packages (tfjs, the canvas, the engine's yaml and typescript) load only in the stages' own processes.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The npm packages (scope/name) in the require cache after importing `module` in a fresh process. */
function packagesLoadedBy(module: string): string[] {
  const script = `await import(${JSON.stringify(module)});
const cache = (await import('node:module')).createRequire(import.meta.url).cache;
const names = Object.keys(cache).filter((k) => k.includes('node_modules/')).map((k) => k.split('node_modules/').pop().split('/'));
console.log(JSON.stringify([...new Set(names.map((p) => (p[0].startsWith('@') ? p.slice(0, 2) : p.slice(0, 1)).join('/')))]));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  return (JSON.parse(out) as string[]).filter((p) => p !== 'tsx' && p !== 'esbuild').sort();
}

test('the check sees a heavy package where one is imported', () => {
  assert.ok(packagesLoadedBy('./vthinker/compute/webgpu.ts').includes('@tensorflow/tfjs-core'));
});

test('declaring the pipeline loads no npm package (no tfjs-core for the adapter probe, no canvas, no yaml)', () => {
  assert.equal(packagesLoadedBy('./pipeline.ts'), []);
});

test.run();
