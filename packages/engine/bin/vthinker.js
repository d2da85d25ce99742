#!/usr/bin/env node
// The `vthinker` command. The engine is TypeScript, shipped as source; to start fast, the CLI runs from one bundled
// JS file that is rebuilt (esbuild, a few ms) whenever a source under src/ is newer than it, and falls back to tsx
// (a dependency) when it cannot be built, e.g. in a read-only install.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(pkg, 'src');
// Kept in the package's own node_modules/.cache: from there the bundle's package imports resolve as they do from
// src/ (the package's dependencies, then the project's). One bundle per source folder: it embeds that folder's path.
const tag = createHash('sha256').update(src).digest('hex').slice(0, 12);
const bundle = join(pkg, 'node_modules', '.cache', 'vthinker', `cli-${tag}.mjs`);

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : e.name.endsWith('.ts') ? statSync(p).mtimeMs : 0);
  }
  return t;
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

async function loadCli() {
  try {
    if (mtime(bundle) < newest(src)) {
      const esbuild = createRequire(import.meta.url)('esbuild');
      mkdirSync(dirname(bundle), { recursive: true });
      const tmp = `${bundle}.${process.pid}.tmp`;
      esbuild.buildSync({
        entryPoints: [join(src, 'cli.ts')],
        bundle: true,
        platform: 'node',
        format: 'esm',
        packages: 'external',
        outfile: tmp,
        logLevel: 'error',
        // Bundled modules must still find src/child.ts and the files beside their sources.
        define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(src, 'cli.ts')).href) },
      });
      renameSync(tmp, bundle);
    }
    return await import(pathToFileURL(bundle).href);
  } catch (error) {
    if (process.env.VTHINKER_DEBUG) console.error('vthinker: bundled CLI unavailable, using tsx:', error);
    const { register } = await import('tsx/esm/api');
    register();
    return import('../src/cli.ts');
  }
}

// A reader that stops early (`vthinker status | head -1`) closes the pipe: that ends the command, quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

const { main } = await loadCli();
process.exitCode = await main(process.argv.slice(2));
