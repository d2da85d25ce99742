#!/usr/bin/env node
// Entry point. The engine is TypeScript; to start fast, the CLI runs from one bundled JS file that is rebuilt
// (esbuild, a few ms) whenever an engine source is newer than it, and falls back to tsx when it cannot be built.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const engine = join(repo, 'engine');
// One bundle per engine folder: it embeds that folder's path, and node_modules may be shared between checkouts.
const tag = createHash('sha256').update(engine).digest('hex').slice(0, 12);
const bundle = join(repo, 'node_modules', '.cache', 'vthinker', `cli-${tag}.mjs`);

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
    if (mtime(bundle) < newest(engine)) {
      const esbuild = createRequire(import.meta.url)('esbuild');
      mkdirSync(dirname(bundle), { recursive: true });
      const tmp = `${bundle}.${process.pid}.tmp`;
      esbuild.buildSync({
        entryPoints: [join(engine, 'cli.ts')],
        bundle: true,
        platform: 'node',
        format: 'esm',
        packages: 'external',
        outfile: tmp,
        logLevel: 'error',
        // Bundled modules must still find engine/child.ts and resolve packages from the repository.
        define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(engine, 'cli.ts')).href) },
      });
      renameSync(tmp, bundle);
    }
    return await import(pathToFileURL(bundle).href);
  } catch (error) {
    if (process.env.VTHINKER_DEBUG) console.error('vthinker: bundled CLI unavailable, using tsx:', error);
    const { register } = await import('tsx/esm/api');
    register();
    return import('../engine/cli.ts');
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
