// `vthinker notebooks [NAME]... [--profile P] [--force] [--no-typecheck] [--setup]`: executes the notebooks whose
// inputs changed; `--setup` prints how to start Jupyter with the project's kernel.
import { UserError } from '../errors.ts';
import { out, PROFILE, str, type Command } from '../commands/command.ts';
import { profileParams } from '../project.ts';
import { jupyterMissing, setupJupyter } from './jupyter.ts';
import { runNotebooks } from './runner.ts';

export const notebooks: Command = {
  help: `vthinker notebooks [NAME]... [--profile P] [--force] [--no-typecheck] [--setup]

  Executes each notebook under notebooks/ whose cells, artifacts or code changed, against the profile's artifacts;
  the executed copies appear in artifacts/P/notebooks/. Checks first that every artifact they read is there.

  NAME               only these notebooks (file names without .ipynb)
  --profile P        whose artifacts (default: default_profile)
  --force            execute even the fresh ones
  --no-typecheck     skip type-checking the cells first
  --setup            print how to start Jupyter with the project's kernels`,
  options: { ...PROFILE, force: { type: 'boolean' }, 'no-typecheck': { type: 'boolean' }, setup: { type: 'boolean' } },
  async run(project, values, positionals) {
    const missing = jupyterMissing(project.root);
    if (missing) throw new UserError(missing);
    if (values.setup) {
      const j = setupJupyter(project.root);
      out(`kernels in ${j.jupyterPath}/kernels: ${Object.values(j.kernels).join(', ')}\nstart Jupyter with:\n  JUPYTER_PATH=${j.jupyterPath} ${j.python} -m jupyter notebook notebooks/`);
      return 0;
    }
    const { profile } = profileParams(project, str(values.profile));
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
  },
};
