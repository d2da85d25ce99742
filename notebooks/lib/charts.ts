// Charts for notebooks: vega-lite specs rendered to SVG and rasterised to PNG by the engine (@vthinker/engine/report:
// toSvg, svgToPng), text in DejaVu Sans, so a chart is the same picture on every machine and in every viewer.
import { join } from 'node:path';
import { type Spec, svgToPng as rasterise, toSvg } from '@vthinker/engine/report';
import { root } from './at.ts';

export type { Spec };

const cacheDir = join(root, 'node_modules', '.cache', 'vthinker');

/** PNG bytes of an SVG at `scale` times its size (2 keeps text sharp on high-density screens). */
export const svgToPng = (svg: string, scale = 2): Promise<Uint8Array> => rasterise(svg, cacheDir, scale);

export async function toPng(spec: Spec, scale = 2): Promise<Uint8Array> {
  return svgToPng(await toSvg(spec), scale);
}
