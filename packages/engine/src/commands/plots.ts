// `vthinker plots`: the curve outputs of a profile and its experiments (or of the locks named) overlaid, written as
// vega-lite specs, HTML pages and PNG pictures.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { listExperiments } from '../experiment.ts';
import { resolveLockRef } from '../lock-ref.ts';
import { collectCurves, curveSpec } from '../plots.ts';
import { profileParams } from '../project.ts';
import { escapeHtml } from '../report/html.ts';
import { svgToPng } from '../report/png.ts';
import { toSvg } from '../report/svg.ts';
import { out, PROFILE, str, type Command } from './command.ts';

export const plots: Command = {
  help: `vthinker plots [REF]... [--profile P] [--stage S] [--out DIR]

  For each curve output (an output whose name says "curve": JSON lines, a JSON array or CSV of numbers, x = its
  \`step\` column), one chart with a panel per column and a line per lock, written as DIR/STAGE.OUTPUT.png, .html and
  .vl.json (the vega-lite spec). Prints the files it wrote.

  REF                locks to overlay: a lock file, an experiment, a profile or a git revision (see
                     \`vthinker params --help\`). Default: the profile and every experiment run from it.
  --profile P        the profile (default: default_profile)
  --stage S          only the curves of stage S
  --out DIR          where to write (default: artifacts/plots)`,
  options: { ...PROFILE, stage: { type: 'string' }, out: { type: 'string' } },
  async run(project, values, positionals) {
    const { profile } = profileParams(project, str(values.profile));
    const refs = positionals.length ? positionals : [profile, ...listExperiments(project.root).filter((e) => e.profile === profile).map((e) => e.name)];
    const locks = refs.map((r) => resolveLockRef(project.root, r, profile));
    const curves = collectCurves(locks, project.store, str(values.stage));
    const dir = resolve(str(values.out) ?? join(project.store.artifacts, 'plots'));
    mkdirSync(dir, { recursive: true });
    if (!curves.length) return (out(`no curve outputs in ${refs.join(', ')}`), 0);
    for (const curve of curves) {
      for (const label of curve.absent) process.stderr.write(`note: ${curve.id} of ${label} is not in this store (run or pull it): left out\n`);
      if (!curve.points.length) continue;
      const spec = curveSpec(curve);
      const base = join(dir, curve.id);
      const svg = await toSvg(spec);
      writeFileSync(`${base}.vl.json`, `${JSON.stringify(spec, null, 2)}\n`);
      writeFileSync(`${base}.html`, `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(curve.id)}</title></head>\n<body style="font-family: 'DejaVu Sans', sans-serif">\n${svg}\n</body></html>\n`);
      writeFileSync(`${base}.png`, await svgToPng(svg, join(project.store.dir, 'cache')));
      out(`${relative(process.cwd(), `${base}.png`)}  ${relative(process.cwd(), `${base}.html`)}  (${new Set(curve.points.map((p) => p.run)).size} run(s))`);
    }
    return 0;
  },
};
