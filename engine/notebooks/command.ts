// `vthinker notebooks [NAME]... [--profile P] [--force] [--no-typecheck] [--setup]`: executes the notebooks whose
// inputs changed; `--setup` prints how to start Jupyter with the project's kernel.
import { parseArgs } from 'node:util';
import { UserError } from '../errors.ts';
import { profileParams, type Project } from '../project.ts';
import { jupyterMissing, setupJupyter } from './jupyter.ts';
import { runNotebooks } from './runner.ts';

export async function notebooksCommand(project: Project, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { profile: { type: 'string', short: 'p' }, force: { type: 'boolean' }, 'no-typecheck': { type: 'boolean' }, setup: { type: 'boolean' } },
  });
  const missing = jupyterMissing(project.root);
  if (missing) throw new UserError(missing);
  if (values.setup) {
    const j = setupJupyter(project.root);
    console.log(`kernels in ${j.jupyterPath}/kernels: ${Object.values(j.kernels).join(', ')}\nstart Jupyter with:\n  JUPYTER_PATH=${j.jupyterPath} ${j.python} -m jupyter notebook notebooks/`);
    return 0;
  }
  const { profile } = profileParams(project, values.profile);
  const result = await runNotebooks({
    root: project.root,
    profile,
    store: project.store,
    statCache: project.statCache,
    only: positionals,
    force: !!values.force,
    typecheck: !values['no-typecheck'],
  });
  return result.ok ? 0 : 1;
}
