// The parts of the Jupyter notebook format (nbformat 4) the runner needs: cells, their sources, their outputs.
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.ts';

export interface Output {
  output_type: 'stream' | 'display_data' | 'execute_result' | 'error';
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface Cell {
  cell_type: 'code' | 'markdown' | 'raw';
  source: string | string[];
  outputs?: Output[];
  metadata?: Record<string, unknown>;
  execution_count?: number | null;
}

export interface Notebook {
  cells: Cell[];
  metadata: Record<string, unknown> & { kernelspec?: { name?: string; display_name?: string }; vthinker?: { inputs?: string[] } };
  nbformat: number;
  nbformat_minor: number;
}

export function readNotebook(path: string): Notebook {
  let nb: Notebook;
  try {
    nb = JSON.parse(readFileSync(path, 'utf8')) as Notebook;
  } catch (error) {
    throw new UserError(`${path} is not a readable notebook: ${(error as Error).message}`);
  }
  if (!Array.isArray(nb.cells) || nb.nbformat !== 4) throw new UserError(`${path} is not an nbformat 4 notebook`);
  return nb;
}

export const sourceOf = (cell: Cell): string => (Array.isArray(cell.source) ? cell.source.join('') : cell.source);

/** Code cells with their 1-based position among all cells (the number Jupyter front ends show). */
export function codeCells(nb: Notebook): Array<{ cell: number; source: string }> {
  return nb.cells.flatMap((c, i) => (c.cell_type === 'code' ? [{ cell: i + 1, source: sourceOf(c) }] : []));
}

/**
 * What of a notebook decides its executed copy: cell kinds and sources, trailing whitespace dropped. Outputs,
 * execution counts, cell ids and metadata are left out, so saving a notebook after running it changes nothing.
 */
export function normalisedCells(nb: Notebook): Array<[kind: string, source: string]> {
  return nb.cells.map((c) => [c.cell_type, sourceOf(c).split('\n').map((l) => l.trimEnd()).join('\n').trim()]);
}

/** The first cell whose outputs hold an error, with the error's name, message and (ANSI-free) traceback. */
export function firstError(nb: Notebook): { cell: number; message: string } | undefined {
  for (const [i, c] of nb.cells.entries()) {
    const e = c.outputs?.find((o) => o.output_type === 'error');
    if (!e) continue;
    const trace = (e.traceback ?? []).join('\n').replace(/\x1b\[[0-9;]*m/g, '').trim();
    return { cell: i + 1, message: `${e.ename ?? 'Error'}: ${e.evalue ?? ''}${trace ? `\n${trace}` : ''}` };
  }
  return undefined;
}
