// Charts for notebooks: vega-lite specs rendered to SVG by the engine (engine/report/svg.ts) and rasterised to PNG
// with sharp, text in the project's DejaVu Sans (node_modules/dejavu-fonts-ttf), so a chart is the same picture on
// every machine and in every notebook viewer.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toSvg, type Spec } from '../../engine/report/svg.ts';
import { root } from './at.ts';

export type { Spec };

/** Points fontconfig (which sharp's SVG renderer uses) at the project font only, before sharp is first loaded. */
function useProjectFont(): void {
  if (process.env.VTHINKER_FONTS_SET) return;
  const dir = join(root, 'node_modules', '.cache', 'vthinker', 'fontconfig');
  mkdirSync(join(dir, 'cache'), { recursive: true });
  const conf = join(dir, 'fonts.conf');
  writeFileSync(conf, `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${join(root, 'node_modules', 'dejavu-fonts-ttf', 'ttf')}</dir>
  <cachedir>${join(dir, 'cache')}</cachedir>
</fontconfig>
`);
  process.env.FONTCONFIG_FILE = conf;
  process.env.VTHINKER_FONTS_SET = '1';
}

/** PNG bytes of an SVG at `scale` times its size (2 keeps text sharp on high-density screens). */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  useProjectFont();
  const { default: sharp } = await import('sharp');
  return new Uint8Array(await sharp(Buffer.from(svg), { density: 72 * scale }).png().toBuffer());
}

export async function toPng(spec: Spec, scale = 2): Promise<Uint8Array> {
  return svgToPng(await toSvg(spec), scale);
}
