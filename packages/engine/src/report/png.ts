// SVG (a vega-lite chart from svg.ts) rasterised to PNG with sharp, its text in DejaVu Sans from the
// dejavu-fonts-ttf package, so a chart is the same picture on every machine and in every viewer.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { optionalPeer, resolvePeerFile } from '../optional.ts';
import { toSvg, type Spec } from './svg.ts';

/**
 * Points fontconfig (which sharp's SVG renderer uses) at the DejaVu fonts only, before sharp is first loaded;
 * fontconfig keeps its cache under `cacheDir`. Once per process: fontconfig reads its file once.
 */
function useDejaVu(cacheDir: string): void {
  if (process.env.VTHINKER_FONTS_SET) return;
  const fonts = join(dirname(resolvePeerFile('dejavu-fonts-ttf', 'package.json', 'rendering a chart to PNG')), 'ttf');
  const dir = join(cacheDir, 'fontconfig');
  mkdirSync(join(dir, 'cache'), { recursive: true });
  const conf = join(dir, 'fonts.conf');
  writeFileSync(conf, `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${fonts}</dir>
  <cachedir>${join(dir, 'cache')}</cachedir>
</fontconfig>
`);
  process.env.FONTCONFIG_FILE = conf;
  process.env.VTHINKER_FONTS_SET = '1';
}

/** PNG bytes of an SVG at `scale` times its size (2 keeps text sharp on high-density screens). */
export async function svgToPng(svg: string, cacheDir: string, scale = 2): Promise<Uint8Array> {
  useDejaVu(cacheDir);
  const { default: sharp } = await optionalPeer('sharp', 'rendering a chart to PNG', () => import('sharp'));
  return new Uint8Array(await sharp(Buffer.from(svg), { density: 72 * scale }).png().toBuffer());
}

export async function toPng(spec: Spec, cacheDir: string, scale = 2): Promise<Uint8Array> {
  return svgToPng(await toSvg(spec), cacheDir, scale);
}
