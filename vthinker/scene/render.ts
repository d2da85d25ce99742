// Rendering: scene programs and drawing operations to pixels. A pure function of its arguments: the same program
// gives byte-identical pixels (the pinned font and the pinned @napi-rs/canvas make that hold across machines too).
//
// Conventions: white background; point labels (the `label` field; an `id` alone is not drawn) sit next to their
// point in its colour; a `text` element's `at` is the text's centre; a `crop` box is stretched to the full output
// and only the last crop counts (coordinates always refer to the full canvas, so crops do not nest).
import type { Canvas } from './canvas.ts';
import { lastCrop, paintOps, paintScene } from './paint.ts';
import { BACKGROUND, css } from './palette.ts';
import { canvasFrom, newCanvas, type RasterImage, rasterOf } from './raster.ts';
import type { DrawProgram, Scene } from './types.ts';
import { MAX_CANVAS_SIDE } from './validate.ts';

export { type RasterImage, blankRaster, decodePng, encodePng, sameRaster } from './raster.ts';
export { toModelInput } from './modelinput.ts';
export { contactSheet, type ContactSheetOptions } from './contact.ts';

/** Options of renderScene. */
export interface RenderOptions {
  /** Output width in pixels; the height keeps the scene's aspect ratio. Defaults to the scene's width. */
  size?: number;
}

/** The size of a scene canvas in scene units. */
export interface SceneSize {
  width: number;
  height: number;
}

function checkSide(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1 || value > MAX_CANVAS_SIDE) {
    throw new Error(`${what}: expected an integer from 1 to ${MAX_CANVAS_SIDE}, got ${value}`);
  }
}

/** Renders a scene with an optional overlay program at `opts.size` pixels wide: a white, opaque RGBA image. */
export function renderScene(scene: Scene, ops: DrawProgram = [], opts: RenderOptions = {}): RasterImage {
  const width = opts.size ?? scene.width;
  checkSide(width, 'renderScene size');
  const height = Math.max(1, Math.round((width * scene.height) / scene.width));
  const [x0, y0, x1, y1] = lastCrop(ops) ?? [0, 0, scene.width, scene.height];
  const kx = width / (x1 - x0), ky = height / (y1 - y0);
  const canvas = newCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = css(BACKGROUND);
  ctx.fillRect(0, 0, width, height);
  // Drawing through the view transform keeps crops sharp: the zoomed figure is re-rasterised, not resampled.
  ctx.setTransform(kx, 0, 0, ky, -x0 * kx, -y0 * ky);
  const pc = { ctx, sceneWidth: scene.width, sceneHeight: scene.height, scale: Math.min(kx, ky) };
  paintScene(pc, scene);
  paintOps(pc, ops);
  return rasterOf(canvas);
}

/**
 * Draws `ops` onto a copy of `base` (any raster, e.g. a benchmark PNG), whose full extent is the scene canvas
 * `sceneSize`; returns null if `shouldStop` answered true between operations. A crop resamples the drawn raster.
 */
export function applyOpsUntil(base: RasterImage, ops: DrawProgram, sceneSize: SceneSize, shouldStop?: () => boolean): RasterImage | null {
  const canvas = canvasFrom(base);
  const ctx = canvas.getContext('2d');
  const kx = base.width / sceneSize.width, ky = base.height / sceneSize.height;
  ctx.setTransform(kx, 0, 0, ky, 0, 0);
  const pc = { ctx, sceneWidth: sceneSize.width, sceneHeight: sceneSize.height, scale: Math.min(kx, ky) };
  if (!paintOps(pc, ops, shouldStop)) return null;
  const box = lastCrop(ops);
  return rasterOf(box ? cropView(canvas, [box[0] * kx, box[1] * ky, box[2] * kx, box[3] * ky]) : canvas);
}

/** Draws `ops` onto a copy of `base`, whose full extent is the scene canvas `sceneSize`; `base` is not changed. */
export function applyOps(base: RasterImage, ops: DrawProgram, sceneSize: SceneSize): RasterImage {
  return applyOpsUntil(base, ops, sceneSize)!;
}

/** The pixel box [x0, y0, x1, y1] of `source`, stretched to a canvas of the source's size. */
function cropView(source: Canvas, box: readonly [number, number, number, number]): Canvas {
  const view = newCanvas(source.width, source.height);
  const ctx = view.getContext('2d');
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(source, box[0], box[1], box[2] - box[0], box[3] - box[1], 0, 0, source.width, source.height);
  return view;
}
