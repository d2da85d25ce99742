// Where text lands on a rendered figure, as boxes in scene units, for the legibility checks. Point labels follow the
// renderer's rule (scene/paint.ts: pushed away from the centroid of all points by pointRadius + 0.75 font, clamped
// inside the canvas); glyph widths are estimates for the pinned font (about 0.65 em for a capital).
import type { Pt, Scene } from '../scene/types.ts';
import { centroid, normalize, sub } from '../scene/geometry.ts';
import { SIZES } from '../scene/palette.ts';

export interface TextBox {
  /** The point id or text it belongs to. */
  owner: string;
  /** The anchor point for point labels (a label may sit close to its own point). */
  anchor?: Pt;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function textBoxes(scene: Scene): TextBox[] {
  const unit = Math.max(scene.width, scene.height) / 128;
  const font = SIZES.font * unit;
  const points = scene.elements.flatMap((e) => (e.kind === 'point' ? [e.at] : []));
  const centre: Pt = points.length ? centroid(points) : [scene.width / 2, scene.height / 2];
  const boxes: TextBox[] = [];
  for (const el of scene.elements) {
    if (el.kind === 'point' && el.label) {
      let dir = normalize(sub(el.at, centre));
      if (dir[0] === 0 && dir[1] === 0) dir = normalize([1, -1]);
      const half = 0.33 * font * el.label.length;
      const reach = SIZES.pointRadius * unit + font * 0.75;
      const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
      const x = clamp(el.at[0] + dir[0] * (reach + half * Math.abs(dir[0]) * 0.6), half + 1, scene.width - half - 1);
      const y = clamp(el.at[1] + dir[1] * reach, font / 2 + 1, scene.height - font / 2 - 1);
      const hh = 0.4 * font;
      boxes.push({ owner: el.id, anchor: el.at, x0: x - half, y0: y - hh, x1: x + half, y1: y + hh });
    } else if (el.kind === 'text') {
      const size = (el.size ?? SIZES.font) * unit;
      const half = 0.3 * size * el.text.length, hh = 0.4 * size;
      boxes.push({ owner: el.text, x0: el.at[0] - half, y0: el.at[1] - hh, x1: el.at[0] + half, y1: el.at[1] + hh });
    }
  }
  return boxes;
}

export const boxesOverlap = (a: TextBox, b: TextBox): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** Whether segment p-q passes through the box (Liang-Barsky clipping). */
export function segmentHitsBox(p: Pt, q: Pt, box: TextBox): boolean {
  let t0 = 0, t1 = 1;
  const dx = q[0] - p[0], dy = q[1] - p[1];
  const edges: Array<[number, number]> = [[-dx, p[0] - box.x0], [dx, box.x1 - p[0]], [-dy, p[1] - box.y0], [dy, box.y1 - p[1]]];
  for (const [pp, qq] of edges) {
    if (pp === 0) {
      if (qq < 0) return false;
    } else {
      const t = qq / pp;
      if (pp < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
      if (t0 > t1) return false;
    }
  }
  return true;
}
