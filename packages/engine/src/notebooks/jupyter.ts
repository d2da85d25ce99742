// Jupyter, headless: Debian's nbclient drives the kernels (through execute_notebook.py). Kernel specs, runtime
// files and Deno's cache live under node_modules/.cache/vthinker/, so nothing depends on (or writes to) the user's
// home folder.
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sha256 } from '../hash.ts';

export interface JupyterEnv {
  python: string;
  /** Folder to put first on JUPYTER_PATH (it holds kernels/<name>/kernel.json). */
  jupyterPath: string;
  /** Environment for the executor and the kernels it starts. */
  env: NodeJS.ProcessEnv;
  /** Name and version of each kernel set up, e.g. deno -> "deno 2.9.6". */
  kernels: Record<string, string>;
}

/** /usr/bin/python3 first: on these machines `python3` on PATH is a pyenv shim without Jupyter. */
export function findPython(): string {
  const wanted = process.env.VTHINKER_PYTHON;
  if (wanted) return wanted;
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

/** Why notebooks cannot run here (undefined when they can), with how to fix it. */
export function jupyterMissing(root: string): string | undefined {
  const python = findPython();
  try {
    execFileSync(python, ['-c', 'import nbformat, nbclient, jupyter_client'], { stdio: 'ignore' });
  } catch {
    return `Jupyter is not installed for ${python}: apt-get install -y --no-install-recommends jupyter-nbconvert python3-nbclient jupyter-client jupyter-core python3-ipykernel`;
  }
  if (!existsSync(denoCommand(root))) return "notebooks run in Deno's Jupyter kernel, from the optional package deno: npm install deno";
  return undefined;
}

const denoCommand = (root: string) => join(root, 'node_modules', '.bin', 'deno');
export const cacheDir = (root: string) => join(root, 'node_modules', '.cache', 'vthinker', 'jupyter');

/**
 * Writes the Deno kernel spec into the project's Jupyter folder. `deno jupyter --install` only writes to the
 * user's data folder (it ignores JUPYTER_DATA_DIR), so it is run with a throw-away HOME and its spec copied.
 */
export function setupJupyter(root: string): JupyterEnv {
  const dir = cacheDir(root);
  const spec = join(dir, 'kernels', 'deno', 'kernel.json');
  if (!specUsable(spec)) {
    const home = mkdtempSync(join(tmpdir(), 'vthinker-deno-home-'));
    try {
      execFileSync(denoCommand(root), ['jupyter', '--install'], {
        env: { ...process.env, HOME: home, XDG_DATA_HOME: join(home, 'data') },
        stdio: 'ignore',
      });
      const made = [join(home, 'data', 'jupyter', 'kernels', 'deno'), join(home, '.local', 'share', 'jupyter', 'kernels', 'deno')].find(existsSync);
      if (!made) throw new Error('deno jupyter --install wrote no kernel spec');
      mkdirSync(join(dir, 'kernels'), { recursive: true });
      rmSync(join(dir, 'kernels', 'deno'), { recursive: true, force: true });
      cpSync(made, join(dir, 'kernels', 'deno'), { recursive: true });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }
  for (const sub of ['runtime', 'config', 'data', 'deno']) mkdirSync(join(dir, sub), { recursive: true });
  const kernels: Record<string, string> = { deno: `deno ${versionOf(root, 'deno')}` };
  // tslab, an optional second kernel: set up when the project installed it.
  if (existsSync(join(root, 'node_modules', 'tslab'))) kernels.tslab = setupTslab(root, dir);
  return {
    python: findPython(),
    jupyterPath: dir,
    kernels,
    env: {
      ...process.env,
      JUPYTER_PATH: [dir, process.env.JUPYTER_PATH].filter(Boolean).join(delimiter),
      JUPYTER_RUNTIME_DIR: join(dir, 'runtime'),
      JUPYTER_CONFIG_DIR: join(dir, 'config'),
      JUPYTER_DATA_DIR: join(dir, 'data'),
      DENO_DIR: join(dir, 'deno'),
      // Outputs are stored: no terminal colour codes in them.
      NO_COLOR: '1',
    },
  };
}

const versionOf = (root: string, pkg: string): string =>
  (JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * tslab (a CommonJS kernel with TypeScript 5.0) cannot import the ESM-only notebook stack (vega 6, vega-lite 6,
 * the engine's .ts modules); it gets the notebook API as one CommonJS bundle, notebooks/lib/notebook-api.cjs, which
 * its cells `require` (arquero, loaded when a table is read, through Node's require of ES modules). Charts need
 * vega: use the Deno kernel for those.
 */
function setupTslab(root: string, dir: string): string {
  const spec = join(dir, 'kernels', 'tslab');
  mkdirSync(spec, { recursive: true });
  const argv = [process.execPath, join(root, 'node_modules', 'tslab', 'bin', 'tslab'), 'kernel', '--config-path', '{connection_file}'];
  writeFileSync(join(spec, 'kernel.json'), JSON.stringify({ argv, display_name: 'TypeScript (tslab)', language: 'typescript' }, null, 2));
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const entry = besideSources('notebook.ts');
  esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: join(root, 'notebooks', 'lib', 'notebook-api.cjs'),
    logLevel: 'error',
    // The bundle resolves packages (typescript, for the code hasher) from where the engine is.
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(entry).href) },
  });
  return `tslab ${versionOf(root, 'tslab')}`;
}

function specUsable(spec: string): boolean {
  try {
    const argv = (JSON.parse(readFileSync(spec, 'utf8')) as { argv: string[] }).argv;
    return existsSync(argv[0]!);
  } catch {
    return false;
  }
}

// Files of the engine's sources: found from this module (src/notebooks/), or, in the CLI bundle where
// import.meta.url is src/cli.ts (bin/vthinker.js), from src/.
const here = dirname(fileURLToPath(import.meta.url));
function besideSources(name: string): string {
  const candidates = [join(here, name), join(here, 'notebooks', name), join(here, '..', name)];
  return candidates.find(existsSync) ?? candidates[0]!;
}

// The headless executor (nbclient, keeping the outputs Deno's kernel publishes late: see the script).
const executorScript = besideSources('execute_notebook.py');

/** Enters notebook keys: a new executor may keep different outputs, so executed copies are redone. */
export const executorVersion = (): string => sha256(readFileSync(executorScript)).slice(0, 16);

/**
 * Executes `notebook` into `out` with every cell run even after an error, so the caller reads the error from the
 * executed copy and names its cell. Resolves with the executor's stderr on a failure to execute.
 */
export function executeNotebook(jupyter: JupyterEnv, notebook: string, out: string, kernel: string, extraEnv: Record<string, string>, timeoutS = 600): Promise<{ ok: boolean; log: string }> {
  const args = [executorScript, notebook, out, kernel, String(timeoutS)];
  return new Promise((done) => {
    execFile(jupyter.python, args, { env: { ...jupyter.env, ...extraEnv }, maxBuffer: 64 * 2 ** 20 }, (error, _stdout, stderr) => {
      done({ ok: !error && existsSync(out), log: String(stderr) });
    });
  });
}
