// What a notebook reads, found in its cells: `load('stage', 'output')` and the other notebook-API calls name
// artifacts; `runs()` reads the run journal; relative imports name local code. A notebook can also declare
// artifacts it reads indirectly in its metadata: `"vthinker": {"inputs": ["verify.report"]}`.
import { codeCells, type Notebook } from './ipynb.ts';

export interface NotebookInputs {
  /** `stage.output` names, sorted. */
  artifacts: string[];
  /** Whether the notebook reads the run journal (`runs()`). */
  journal: boolean;
  /** Relative import specifiers, as written (resolved against the notebook's folder). */
  imports: string[];
}

// A call of the notebook API whose first two arguments are string literals (type arguments allowed).
const API_CALL = /\b(?:load|rows|files|path|digest|text)\s*(?:<[^()]*?>)?\s*\(\s*(['"`])([\w@.-]+)\1\s*,\s*(['"`])([\w.-]+)\3/g;
const RUNS_CALL = /\bruns\s*\(/;
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+)\1/g;

export function notebookInputs(nb: Notebook): NotebookInputs {
  const artifacts = new Set<string>(nb.metadata.vthinker?.inputs ?? []);
  const imports = new Set<string>();
  let journal = false;
  for (const { source } of codeCells(nb)) {
    for (const m of source.matchAll(API_CALL)) artifacts.add(`${m[2]}.${m[4]}`);
    for (const m of source.matchAll(RELATIVE_IMPORT)) imports.add(m[2]!);
    journal ||= RUNS_CALL.test(source);
  }
  return { artifacts: [...artifacts].sort(), journal, imports: [...imports].sort() };
}
