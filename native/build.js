// Builds the optional native OpenBLAS kernels (native/kern.c) with npm's bundled node-gyp, offline.
// Run by `postinstall`: it prints one line and always exits 0, because training falls back to the JS kernels
// and `npm ci` must never fail over an optional speed-up (no compiler, no libopenblas-dev, no node headers...).
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const addon = join(here, 'build', 'Release', 'kern.node');

function warn(why) {
  console.log(`vthinker: native kernels not built (${why}); training uses the JS kernels`);
}

// npm exports its node-gyp to scripts; otherwise look next to the npm that is on PATH.
function findNodeGyp() {
  const candidates = [process.env.npm_config_node_gyp];
  for (const cli of [process.env.npm_execpath, which('npm')]) {
    if (!cli) continue;
    try {
      const npmDir = join(dirname(realpathSync(cli)), '..');
      candidates.push(join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
    } catch {}
  }
  return candidates.find((path) => path && existsSync(path));
}

function which(name) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const path = join(dir, name);
    if (dir && existsSync(path)) return path;
  }
  return undefined;
}

// Node's own headers (Debian's nodejs ships them under /usr/include/node): without them node-gyp would download.
function nodeDir() {
  const prefix = join(dirname(realpathSync(process.execPath)), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

function main() {
  if (process.env.VTHINKER_NATIVE === '0') return warn('VTHINKER_NATIVE=0');
  const gyp = findNodeGyp();
  if (!gyp) return warn("npm's node-gyp not found");
  const dir = nodeDir();
  const args = [gyp, 'rebuild', ...(dir ? [`--nodedir=${dir}`] : [])];
  const started = Date.now();
  const run = spawnSync(process.execPath, args, { cwd: here, encoding: 'utf8', timeout: 300_000 });
  if (run.status !== 0 || !existsSync(addon)) {
    const log = `${run.stdout ?? ''}\n${run.stderr ?? ''}`;
    const hint = /cblas\.h|lopenblas/.test(log)
      ? 'OpenBLAS missing: apt-get install libopenblas-dev'
      : (log.split('\n').find((line) => /error/i.test(line)) ?? run.error?.message ?? `exit ${run.status}`).trim();
    return warn(`build failed: ${hint.slice(0, 160)}`);
  }
  console.log(`vthinker: native OpenBLAS kernels built in ${((Date.now() - started) / 1000).toFixed(1)} s (native/build/Release/kern.node)`);
}

try {
  main();
} catch (error) {
  warn(error instanceof Error ? error.message : String(error));
}
process.exitCode = 0;
