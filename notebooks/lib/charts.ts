// Charts for notebooks: vega-lite specs rendered headless (vega View, renderer "none", toSVG) and rasterised to PNG
// with sharp, text in the project's DejaVu Sans (node_modules/dejavu-fonts-ttf), so a chart is the same picture on
// every machine and in every notebook viewer.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { root } from './at.ts';

export type Spec = vl.TopLevelSpec;

/** Chart defaults: the project font, readable sizes, a white background. */
const CONFIG = {
  font: 'DejaVu Sans',
  background: 'white',
  padding: 8,
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start' as const },
  view: { stroke: '#ddd' },
};

export async function toSvg(spec: Spec): Promise<string> {
  const compiled = vl.compile({ ...spec, config: { ...CONFIG, ...spec.config } } as Spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

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
