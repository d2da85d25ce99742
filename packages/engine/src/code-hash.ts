// The code part of a stage's key: a normalised hash of the stage module and of every local module it imports,
// transitively (static and dynamic imports), plus the resolved versions of the packages those modules import.
// Normalised = re-printed from the syntax tree without comments, so comments and whitespace never re-run a stage,
// and type-only imports are skipped because types are erased at run time.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { sha256 } from './hash.ts';
import type { StatCache } from './stat-cache.ts';

type TS = typeof import('typescript');
let ts: TS | undefined;
/** TypeScript is loaded only when a file changed: a no-op run never pays for it. */
const typescript = (): TS => (ts ??= createRequire(import.meta.url)('typescript') as TS);

export interface CodeFingerprint {
  /** Project-relative posix path -> normalised content hash. */
  files: Record<string, string>;
  /** Package name -> resolved version. */
  packages: Record<string, string>;
}

interface FileFacts {
  hash: string;
  /** Import specifiers that matter at run time. */
  specifiers: string[];
}

/** A file's facts with its imports resolved: what a fingerprint walks (stages share most of their files). */
interface FileNode {
  rel: string;
  hash: string;
  /** Absolute paths of the local modules it imports. */
  locals: string[];
  /** Names of the packages it imports. */
  packages: string[];
}

const SCRIPT_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx']);
const RESOLVE_SUFFIXES = ['', '.ts', '.tsx', '.js', '.mjs', '/index.ts', '/index.js'];

export class CodeHasher {
  // Per process: a file is stat'ed, an import resolved and a module's closure walked once, however many stages
  // share them (a no-op run does this for every stage).
  private readonly nodes = new Map<string, FileNode>();
  private readonly resolved = new Map<string, string | undefined>();
  private readonly fingerprints = new Map<string, CodeFingerprint>();
  private versions: Record<string, string> | undefined;

  constructor(
    private readonly root: string,
    private readonly cache: StatCache,
  ) {}

  /** Fingerprint of `entries` (absolute paths) and everything they import locally. */
  fingerprint(entries: readonly string[]): CodeFingerprint {
    const id = entries.join('\0');
    const known = this.fingerprints.get(id);
    if (known) return known;
    const files: Record<string, string> = {};
    const packages: Record<string, string> = {};
    const queue = [...entries];
    const seen = new Set<string>();
    while (queue.length) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const node = this.node(file);
      files[node.rel] = node.hash;
      queue.push(...node.locals);
      for (const name of node.packages) packages[name] = this.version(name);
    }
    const fingerprint = { files: sortRecord(files), packages: sortRecord(packages) };
    this.fingerprints.set(id, fingerprint);
    return fingerprint;
  }

  /** Raw content hashes for non-code dependencies (e.g. a command stage's script). */
  hashFiles(paths: readonly string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const p of paths) {
      const abs = resolve(this.root, p);
      out[this.rel(abs)] = existsSync(abs) ? this.cache.getPath('raw', this.rel(abs), abs, () => sha256(readFileSync(abs))) : 'missing';
    }
    return sortRecord(out);
  }

  private node(file: string): FileNode {
    const known = this.nodes.get(file);
    if (known) return known;
    const rel = this.rel(file);
    const facts = JSON.parse(this.cache.getPath('code', rel, file, () => JSON.stringify(normalise(file)))) as FileFacts;
    const node: FileNode = { rel, hash: facts.hash, locals: [], packages: [] };
    for (const spec of facts.specifiers) {
      if (spec.startsWith('node:')) continue;
      if (spec.startsWith('.') || spec.startsWith('/')) {
        const target = this.resolveLocal(file, spec);
        if (target) node.locals.push(target);
      } else node.packages.push(packageName(spec));
    }
    this.nodes.set(file, node);
    return node;
  }

  private resolveLocal(from: string, spec: string): string | undefined {
    const base = resolve(dirname(from), spec);
    if (!this.resolved.has(base)) {
      this.resolved.set(base, RESOLVE_SUFFIXES.map((suffix) => base + suffix).find((c) => statSync(c, { throwIfNoEntry: false })?.isFile()));
    }
    return this.resolved.get(base);
  }

  private version(name: string): string {
    this.versions ??= readLockVersions(this.root);
    this.versions[name] ??= this.unlockedVersion(name);
    return this.versions[name];
  }

  private unlockedVersion(name: string): string {
    // A package importing itself by name (package.json "exports" self-reference) is at the root's version.
    const own = readPackage(this.root);
    if (own?.name === name && own.version) return own.version;
    try {
      return (JSON.parse(readFileSync(join(this.root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return 'unresolved';
    }
  }

  private rel(abs: string): string {
    // Most files are under the root: slicing is much cheaper than `relative`, which a no-op run calls per file.
    const under = abs.startsWith(this.root + sep) ? abs.slice(this.root.length + 1) : relative(this.root, abs);
    return under.split(sep).join('/');
  }
}

function normalise(file: string): FileFacts {
  const text = readFileSync(file, 'utf8');
  if (!SCRIPT_EXTENSIONS.has(extname(file))) return { hash: sha256(text), specifiers: [] };
  const t = typescript();
  const source = t.createSourceFile(file, text, t.ScriptTarget.Latest, false, scriptKind(t, file));
  const printed = t.createPrinter({ removeComments: true }).printFile(source);
  return { hash: sha256(printed), specifiers: runtimeImports(t, source) };
}

function scriptKind(t: TS, file: string) {
  const ext = extname(file);
  if (ext === '.tsx') return t.ScriptKind.TSX;
  if (ext === '.jsx') return t.ScriptKind.JSX;
  return ext.includes('j') ? t.ScriptKind.JS : t.ScriptKind.TS;
}

function runtimeImports(t: TS, source: import('typescript').SourceFile): string[] {
  const out: string[] = [];
  const visit = (node: import('typescript').Node): void => {
    if (t.isImportDeclaration(node) && !node.importClause?.isTypeOnly && t.isStringLiteral(node.moduleSpecifier)) {
      out.push(node.moduleSpecifier.text);
    } else if (t.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier && t.isStringLiteral(node.moduleSpecifier)) {
      out.push(node.moduleSpecifier.text);
    } else if (t.isCallExpression(node) && node.expression.kind === t.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && t.isStringLiteralLike(arg)) out.push(arg.text);
    } else if (t.isCallExpression(node) && t.isIdentifier(node.expression) && node.expression.text === 'require') {
      const [arg] = node.arguments;
      if (arg && t.isStringLiteralLike(arg)) out.push(arg.text);
    } else if (t.isNewExpression(node) && t.isIdentifier(node.expression) && node.expression.text === 'URL') {
      // new URL('./worker.ts', import.meta.url): a module loaded by path (worker threads) is code too.
      const [arg, base] = node.arguments ?? [];
      if (arg && base && t.isStringLiteralLike(arg) && arg.text.startsWith('.') && base.getText(source) === 'import.meta.url') out.push(arg.text);
    }
    t.forEachChild(node, visit);
  };
  visit(source);
  return [...new Set(out)].sort();
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function readPackage(root: string): { name?: string; version?: string } | undefined {
  try {
    return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: string; version?: string };
  } catch {
    return undefined;
  }
}

function readLockVersions(root: string): Record<string, string> {
  try {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages?: Record<string, { version?: string }> };
    const out: Record<string, string> = {};
    for (const [path, info] of Object.entries(lock.packages ?? {})) {
      const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(path);
      if (m && info.version) out[m[1]!] = info.version;
    }
    return out;
  } catch {
    return {};
  }
}

function sortRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
