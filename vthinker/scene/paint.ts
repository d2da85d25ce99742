// Painting scene elements and drawing operations onto a 2-D canvas context whose transform maps scene units to
// output pixels. Sizes come from palette.ts, in scene units, with a one-output-pixel floor.
import type { SKRSContext2D } from './canvas.ts';
import { fontAt } from './font.ts';
import { centroid, normalize, rayToCanvasEdge, sub } from './geometry.ts';
import { AUXILIARY, css, rgbOf, SIZES, sized } from './palette.ts';
import type { DrawOp, Pt, Scene, SceneElement } from './types.ts';

/** What painting needs to know about the canvas: its scene size and the output pixels per scene unit. */
export interface PaintContext {
  ctx: SKRSContext2D;
  sceneWidth: number;
  sceneHeight: number;
  /** Output pixels per scene unit (the smaller axis when a crop stretches the view). */
  scale: number;
}

/** Resolved sizes (scene units) for one canvas, computed once per picture. */
interface Sizes {
  stroke: number;
  auxStroke: number;
  pointRadius: number;
  auxPointRadius: number;
  font: number;
  dash: number[];
}

function sizesOf(pc: PaintContext): Sizes {
  const side = Math.max(pc.sceneWidth, pc.sceneHeight);
  const s = (v: number, floor = 1) => sized(v, side, pc.scale, floor);
  return {
    stroke: s(SIZES.stroke),
    auxStroke: s(SIZES.auxStroke),
    pointRadius: s(SIZES.pointRadius, 1.5),
    auxPointRadius: s(SIZES.auxPointRadius, 2),
    font: s(SIZES.font, 7),
    dash: SIZES.dash.map((d) => s(d)),
  };
}

function pathOf(ctx: SKRSContext2D, points: readonly Pt[], close: boolean): void {
  ctx.beginPath();
  ctx.moveTo(points[0]![0], points[0]![1]);
  for (let i = 1; i < points.length; i++) ctx.lineTo(points[i]![0], points[i]![1]);
  if (close) ctx.closePath();
}

function dot(ctx: SKRSContext2D, at: Pt, radius: number): void {
  ctx.beginPath();
  ctx.arc(at[0], at[1], radius, 0, 2 * Math.PI);
  ctx.fill();
}

/**
 * Where a point's label goes: away from the figure's centre (so it sits outside polygons and circles more often
 * than not), up-right when the point is the centre, kept inside the canvas.
 */
function labelPosition(pc: PaintContext, at: Pt, centre: Pt, text: string, sz: Sizes): Pt {
  let dir = normalize(sub(at, centre));
  if (dir[0] === 0 && dir[1] === 0) dir = normalize([1, -1]);
  const half = pc.ctx.measureText(text).width / 2;
  const reach = sz.pointRadius + sz.font * 0.75;
  const x = at[0] + dir[0] * (reach + half * Math.abs(dir[0]) * 0.6);
  const y = at[1] + dir[1] * reach;
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  return [clamp(x, half + 1, pc.sceneWidth - half - 1), clamp(y, sz.font / 2 + 1, pc.sceneHeight - sz.font / 2 - 1)];
}

function paintElement(pc: PaintContext, el: SceneElement, sz: Sizes, centre: Pt): void {
  const { ctx } = pc;
  const stroke = css(rgbOf(el.color));
  ctx.strokeStyle = stroke;
  ctx.fillStyle = stroke;
  ctx.lineWidth = sz.stroke;
  ctx.setLineDash([]);
  const fillAndStroke = (fill: SceneElement['color']) => {
    if (fill) {
      ctx.fillStyle = css(rgbOf(fill), SIZES.fillAlpha);
      ctx.fill();
    }
    ctx.stroke();
  };
  switch (el.kind) {
    case 'point':
      dot(ctx, el.at, sz.pointRadius);
      if (el.label) {
        ctx.font = fontAt(sz.font);
        ctx.textAlign = 'center';
        ctx.textBaseline = 'middle';
        const at = labelPosition(pc, el.at, centre, el.label, sz);
        ctx.fillText(el.label, at[0], at[1]);
      }
      return;
    case 'segment':
      if (el.dashed) ctx.setLineDash(sz.dash);
      pathOf(ctx, [el.from, el.to], false);
      ctx.stroke();
      return;
    case 'polyline':
      pathOf(ctx, el.points, false);
      ctx.stroke();
      return;
    case 'polygon':
      pathOf(ctx, el.points, true);
      fillAndStroke(el.fill);
      return;
    case 'circle':
      ctx.beginPath();
      ctx.arc(el.center[0], el.center[1], el.r, 0, 2 * Math.PI);
      fillAndStroke(el.fill);
      return;
    case 'rect':
      ctx.beginPath();
      ctx.rect(el.at[0], el.at[1], el.w, el.h);
      fillAndStroke(el.fill);
      return;
    case 'text':
      // `at` is the centre of the text: creators place labels by their middle, like point labels.
      ctx.font = fontAt(el.size ?? sz.font);
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(el.text, el.at[0], el.at[1]);
      return;
  }
}

/** Paints every element of a scene, in order (later elements on top). */
export function paintScene(pc: PaintContext, scene: Scene): void {
  const sz = sizesOf(pc);
  const points = scene.elements.flatMap((e) => (e.kind === 'point' ? [e.at] : []));
  const centre: Pt = points.length ? centroid(points) : [scene.width / 2, scene.height / 2];
  for (const el of scene.elements) paintElement(pc, el, sz, centre);
}

/**
 * Paints the drawing operations in the auxiliary colour, in order; `crop` paints nothing (the caller turns it into
 * a view). `shouldStop` is polled between operations so callers can enforce a time limit.
 */
export function paintOps(pc: PaintContext, ops: readonly DrawOp[], shouldStop?: () => boolean): boolean {
  const { ctx } = pc;
  const sz = sizesOf(pc);
  const aux = css(AUXILIARY);
  ctx.setLineDash([]);
  ctx.lineWidth = sz.auxStroke;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  for (const op of ops) {
    if (shouldStop?.()) return false;
    ctx.strokeStyle = aux;
    ctx.fillStyle = aux;
    switch (op.op) {
      case 'line':
        pathOf(ctx, [op.from, op.to], false);
        ctx.stroke();
        break;
      case 'ray':
        pathOf(ctx, [op.from, rayToCanvasEdge(op.from, op.through, pc.sceneWidth, pc.sceneHeight)], false);
        ctx.stroke();
        break;
      case 'point':
        dot(ctx, op.at, sz.auxPointRadius);
        break;
      case 'circle':
        ctx.beginPath();
        ctx.arc(op.center[0], op.center[1], op.r, 0, 2 * Math.PI);
        ctx.stroke();
        break;
      case 'polygon':
        pathOf(ctx, op.points, true);
        ctx.fillStyle = css(AUXILIARY, SIZES.auxFillAlpha);
        ctx.fill();
        ctx.stroke();
        break;
      case 'crop':
        break;
    }
  }
  return true;
}

/** The box of the last crop in a program (crops do not nest: coordinates always refer to the full canvas). */
export function lastCrop(ops: readonly DrawOp[]): readonly [number, number, number, number] | null {
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i]!;
    if (op.op === 'crop') return op.box;
  }
  return null;
}
