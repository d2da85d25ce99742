// Cells are type-checked before they run (Deno's kernel does not check them): each notebook's code cells are
// written, in order, to one TypeScript module beside the notebook (so its relative imports resolve as they do in
// the kernel), and tsc checks them with the project's tsconfig. Errors are mapped back to notebook and cell.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { codeCells, type Notebook } from './ipynb.ts';
import { cacheDir } from './jupyter.ts';

export interface CellDiagnostic {
  notebook: string;
  cell: number;
  line: number;
  message: string;
}

// The globals Deno's kernel adds, as far as notebooks use them (the project's types are Node's).
const DENO_GLOBALS = `declare namespace Deno {
  const env: { get(name: string): string | undefined };
  namespace jupyter {
    function display(value: Record<string, unknown>, options?: { raw?: boolean }): Promise<void>;
    function html(strings: TemplateStringsArray, ...values: unknown[]): unknown;
    function md(strings: TemplateStringsArray, ...values: unknown[]): unknown;
  }
}
`;

interface Extracted {
  notebook: string;
  file: string;
  /** 1-based line in the extracted file where each cell starts, with the cell's number. */
  starts: Array<{ line: number; cell: number }>;
}

export async function typecheckNotebooks(root: string, notebooks: Array<{ path: string; nb: Notebook }>): Promise<CellDiagnostic[]> {
  if (!notebooks.length) return [];
  const work = join(cacheDir(root), 'typecheck');
  mkdirSync(work, { recursive: true });
  const extracted = notebooks.map(({ path, nb }) => extract(root, path, nb));
  try {
    writeFileSync(join(work, 'deno-globals.d.ts'), DENO_GLOBALS);
    const config = join(work, 'tsconfig.json');
    writeFileSync(config, JSON.stringify({
      extends: join(root, 'tsconfig.json'),
      compilerOptions: { noEmit: true, incremental: false },
      files: [join(work, 'deno-globals.d.ts'), ...extracted.map((e) => e.file)],
      include: [],
    }));
    const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
    const output = await new Promise<string>((done) => {
      execFile(process.execPath, [tsc, '-p', config, '--pretty', 'false'], { cwd: root, maxBuffer: 16 * 2 ** 20 }, (_e, stdout, stderr) => done(`${stdout}${stderr}`));
    });
    return parseDiagnostics(root, output, extracted);
  } finally {
    for (const e of extracted) rmSync(e.file, { force: true });
  }
}

function extract(root: string, path: string, nb: Notebook): Extracted {
  const file = join(dirname(path), `.${basename(path, '.ipynb')}.cells.ts`);
  const starts: Extracted['starts'] = [];
  const lines: string[] = [];
  for (const { cell, source } of codeCells(nb)) {
    lines.push(`// cell ${cell}`);
    starts.push({ line: lines.length + 1, cell });
    lines.push(...source.split('\n'));
  }
  // A cell file without imports would be a script, where top-level await is an error: make it a module.
  lines.push('export {};', '');
  writeFileSync(file, lines.join('\n'));
  return { notebook: relative(root, path), file, starts };
}

function parseDiagnostics(root: string, output: string, extracted: Extracted[]): CellDiagnostic[] {
  const out: CellDiagnostic[] = [];
  for (const raw of output.split('\n')) {
    const m = /^(.+?)\((\d+),(\d+)\): (error TS\d+: .*)$/.exec(raw);
    if (!m) {
      if (raw.startsWith(' ') && out.length) out[out.length - 1]!.message += `\n${raw}`;
      else if (raw.trim()) out.push({ notebook: '(tsc)', cell: 0, line: 0, message: raw.trim() });
      continue;
    }
    const abs = join(root, m[1]!);
    const line = Number(m[2]);
    const e = extracted.find((x) => x.file === abs);
    if (!e) {
      out.push({ notebook: m[1]!, cell: 0, line, message: m[4]! });
      continue;
    }
    const start = [...e.starts].reverse().find((s) => s.line <= line) ?? e.starts[0]!;
    out.push({ notebook: e.notebook, cell: start.cell, line: line - start.line + 1, message: m[4]! });
  }
  return out;
}
