// vega-lite specs rendered to SVG on the server: vega `View` with renderer "none" and `toSVG()`. No browser and no
// canvas are needed, and the same spec gives the same bytes, which a content-addressed report relies on. Shared by
// reports and notebooks (notebooks rasterise the SVG to PNG).
import type { TopLevelSpec } from 'vega-lite';
import { optionalPeer } from '../optional.ts';

export type Spec = TopLevelSpec;

/** Chart defaults: the project font (DejaVu Sans), readable sizes, a white background. */
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
  // Loaded here, not at the top: the CLI is one bundle, and vega's top-level import would load with every command.
  const feature = 'rendering a vega-lite chart';
  const [vega, vl] = await Promise.all([optionalPeer('vega', feature, () => import('vega')), optionalPeer('vega-lite', feature, () => import('vega-lite'))]);
  const compiled = vl.compile({ ...spec, config: { ...CONFIG, ...spec.config } } as Spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Renames the ids an SVG defines (clip paths, gradients) to `<prefix>-<n>` in order of appearance, with every
 * reference to them. Why: vega numbers them from a process-wide counter, so the same chart would get other ids in
 * a second build (a different digest), and two charts inlined in one page could share an id.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  const ids = [...new Set([...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!))];
  if (!ids.length) return svg;
  const renamed = new Map(ids.map((id, i) => [id, `${prefix}-${i + 1}`]));
  const pattern = new RegExp(`(\\sid="|url\\(#|href="#)(${ids.map(escapeRegExp).join('|')})(?=[")])`, 'g');
  return svg.replace(pattern, (_, lead: string, id: string) => lead + renamed.get(id)!);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
