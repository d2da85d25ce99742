// pipeline.ts and the stage declarations it imports, compiled (esbuild) into one ES module that is reused for as
// long as every file it was compiled from has the same content: loading a project is then one import, not a tsx
// compile of each stage module, which was most of a no-op run. Stage bodies stay out of it: every dynamic import()
// is left for run time and points at the original file, so a stage's implementation (tfjs, the method) loads only
// when the stage runs.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import { writeFileAtomic } from './fs-atomic.ts';
import { sha256 } from './hash.ts';

/** Bump when the engine compiles bundles differently: bundles written by an older engine are then rebuilt. */
const FORMAT = 1;
const HEADER = '// vthinker pipeline bundle ';
const SCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx']);
const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);

/** The first line of a bundle: what it was compiled from. */
interface Manifest {
  format: number;
  /** Absolute path -> sha256 of the bytes compiled, for every file in the bundle. */
  inputs: Record<string, string>;
}

/**
 * Where the bundle of `pipelinePath` lives: in the project's node_modules/.cache, so that the package imports left in
 * it resolve as they do from the project. None when node_modules is not a folder of that name (a symlink to another
 * name would resolve packages from elsewhere): the caller then loads the TypeScript directly.
 */
export function bundlePath(root: string, pipelinePath: string): string | undefined {
  let modules: string;
  try {
    modules = realpathSync(join(root, 'node_modules'));
  } catch {
    return undefined;
  }
  if (basename(modules) !== 'node_modules') return undefined;
  // Named by the pipeline's path: node_modules may be shared by several checkouts, and the bundle embeds paths.
  return join(modules, '.cache', 'vthinker', `pipeline-${sha256(pipelinePath).slice(0, 12)}.mjs`);
}

/** Imports the pipeline module from its bundle, compiling the bundle first when it is missing or out of date. */
export async function importPipelineBundle(root: string, pipelinePath: string): Promise<unknown> {
  const path = bundlePath(root, pipelinePath);
  if (!path) throw new Error(`no node_modules folder under ${root} to keep the compiled pipeline in`);
  const text = currentBundle(path) ?? (await build(root, pipelinePath, path));
  // A rebuilt bundle is a new module for this process too (tests load a project again after editing it).
  const version = sha256(text.slice(0, text.indexOf('\n'))).slice(0, 16);
  return import(`${pathToFileURL(path).href}?v=${version}`);
}

/** The bundle's text when every file it was compiled from still has the content it had then. */
function currentBundle(path: string): string | undefined {
  const text = readOrUndefined(path)?.toString('utf8');
  if (!text?.startsWith(HEADER)) return undefined;
  const manifest = JSON.parse(text.slice(HEADER.length, text.indexOf('\n'))) as Manifest;
  if (manifest.format !== FORMAT) return undefined;
  for (const [file, digest] of Object.entries(manifest.inputs)) if (digestOf(readOrUndefined(file)) !== digest) return undefined;
  return text;
}

async function build(root: string, pipelinePath: string, out: string): Promise<string> {
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const inputs: Record<string, string> = {};
  // Compiler settings (and a tsconfig that appears later) change the output too.
  const tsconfig = join(root, 'tsconfig.json');
  inputs[tsconfig] = digestOf(readOrUndefined(tsconfig));
  const result = await esbuild.build({
    entryPoints: [pipelinePath],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0]}`,
    write: false,
    logLevel: 'silent',
    // Each module gets its own import.meta (the plugin's onLoad): `module: import.meta.url` must name the stage's file.
    define: { 'import.meta': '__vthinkerMeta' },
    plugins: [pipelinePlugin(inputs)],
  });
  const code = result.outputFiles[0]!.text;
  const unbundlable = unkeptImport(code);
  if (unbundlable) throw new Error(`the pipeline's modules use an import the bundle cannot keep (${unbundlable})`);
  const text = `${HEADER}${JSON.stringify({ format: FORMAT, inputs } satisfies Manifest)}\n${code}`;
  writeFileAtomic(out, text);
  return text;
}

/**
 * An import esbuild could not leave pointing at its file: a computed import() or a require() would resolve from the
 * bundle's folder, and a template-literal import() becomes a fixed list of files (`__glob`). Found on the syntax tree,
 * not the text: a string that mentions `import(` (a script handed to a child process) is not an import.
 */
export function unkeptImport(code: string): string | undefined {
  const ts = createRequire(import.meta.url)('typescript') as typeof import('typescript');
  const source = ts.createSourceFile('pipeline-bundle.mjs', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  let found: string | undefined;
  const visit = (node: import('typescript').Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && !(node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]!))) {
      found = `import(${node.arguments.map((a) => a.getText(source)).join(', ').slice(0, 60)})`;
    } else if (ts.isIdentifier(node) && (node.text === '__require' || node.text === '__glob')) {
      found = node.text;
    } else {
      ts.forEachChild(node, visit);
    }
  };
  visit(source);
  return found;
}

const RESOLVING = Symbol('resolving');

function pipelinePlugin(inputs: Record<string, string>): Plugin {
  const record = (file: string): Buffer | undefined => {
    const bytes = readOrUndefined(file);
    inputs[file] = digestOf(bytes);
    return bytes;
  };
  return {
    name: 'vthinker-pipeline',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === RESOLVING || args.kind === 'entry-point') return undefined;
        const local = args.path.startsWith('.') || isAbsolute(args.path);
        // A stage body loading its implementation: stays a lazy import of the original file (or package).
        if (args.kind === 'dynamic-import' && !local) return { path: args.path, external: true };
        if (local && args.kind !== 'dynamic-import') return undefined;
        const found = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: RESOLVING });
        if (found.errors.length || found.external) return found;
        if (args.kind === 'dynamic-import') return { path: pathToFileURL(found.path).href, external: true };
        // A package written in TypeScript (the engine's DSL, `@vthinker/engine`) is compiled in, and its package.json
        // (whose exports chose the file) is an input; Node loads the other packages itself.
        if (!TYPESCRIPT.has(extname(found.path))) return { path: args.path, external: true };
        record(packageJsonOf(found.path));
        return found;
      });
      b.onLoad({ filter: /.*/ }, (args) => {
        const text = record(args.path)!.toString('utf8');
        if (!SCRIPT.has(extname(args.path))) return { contents: text, loader: 'default' };
        const meta = { url: pathToFileURL(args.path).href, filename: args.path, dirname: dirname(args.path) };
        return { contents: `var __vthinkerMeta = ${JSON.stringify(meta)};${text}`, loader: 'default' };
      });
    },
  };
}

/** The package.json of the package that holds `file`. */
function packageJsonOf(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) || dirname(dir) === dir) return join(dir, 'package.json');
  }
}

function readOrUndefined(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** A file's digest in a manifest; a file that is absent is recorded too (one that appears changes the bundle). */
const digestOf = (bytes: Buffer | undefined): string => (bytes ? sha256(bytes) : 'absent');
