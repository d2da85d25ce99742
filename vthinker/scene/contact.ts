// Contact sheets: rows of images (e.g. original | overlay | model's edit) tiled into one picture with captions, for
// researchers to look at in notebooks and reports. Uses the pinned font, so sheets are reproducible too.
import { fontAt } from './font.ts';
import { BACKGROUND, css, PALETTE } from './palette.ts';
import { canvasFrom, newCanvas, type RasterImage, rasterOf } from './raster.ts';

/** Options of contactSheet. */
export interface ContactSheetOptions {
  /** Side of each cell in pixels; images are scaled to fit it, keeping their aspect ratio. Default: largest image side. */
  cell?: number;
  /** Pixels between cells and around the sheet (default 6). */
  gap?: number;
  /** Caption under each image, same shape as the image grid; missing entries mean no caption. */
  captions?: readonly (readonly (string | undefined)[])[];
  /** Label at the left of each row. */
  rowLabels?: readonly string[];
  /** Caption font size in pixels (default 11). */
  fontSize?: number;
}

/** Tiles rows of images into one RasterImage, with optional captions and row labels; an empty grid gives 1x1. */
export function contactSheet(images: readonly (readonly RasterImage[])[], opts: ContactSheetOptions = {}): RasterImage {
  const gap = opts.gap ?? 6, fontSize = opts.fontSize ?? 11;
  const cols = Math.max(0, ...images.map((row) => row.length));
  const cell = opts.cell ?? Math.max(1, ...images.flat().map((img) => Math.max(img.width, img.height)));
  const hasCaptions = !!opts.captions?.some((row) => row.some((c) => c));
  const captionH = hasCaptions ? Math.ceil(fontSize * 1.5) : 0;
  const labelW = opts.rowLabels?.length ? Math.ceil(Math.max(...opts.rowLabels.map((l) => l.length)) * fontSize * 0.65) + gap : 0;
  if (cols === 0 || images.length === 0) return rasterOf(newCanvas(1, 1));
  const width = labelW + gap + cols * (cell + gap);
  const height = gap + images.length * (cell + captionH + gap);
  const canvas = newCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = css(BACKGROUND);
  ctx.fillRect(0, 0, width, height);
  ctx.font = fontAt(fontSize);
  ctx.fillStyle = css(PALETTE.ink);
  ctx.textBaseline = 'middle';
  images.forEach((row, r) => {
    const top = gap + r * (cell + captionH + gap);
    const label = opts.rowLabels?.[r];
    if (label) {
      ctx.textAlign = 'left';
      ctx.fillText(label, gap, top + cell / 2, labelW - gap);
    }
    row.forEach((img, c) => {
      const left = labelW + gap + c * (cell + gap);
      const k = cell / Math.max(img.width, img.height);
      const w = img.width * k, h = img.height * k;
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(canvasFrom(img), left + (cell - w) / 2, top + (cell - h) / 2, w, h);
      // A hairline frame, so white figures stay separable from the white sheet.
      ctx.strokeStyle = css(PALETTE.grey);
      ctx.lineWidth = 1;
      ctx.strokeRect(left - 0.5, top - 0.5, cell + 1, cell + 1);
      const caption = opts.captions?.[r]?.[c];
      if (caption) {
        ctx.textAlign = 'center';
        ctx.fillStyle = css(PALETTE.ink);
        ctx.fillText(caption, left + cell / 2, top + cell + captionH / 2, cell);
      }
    });
  });
  return rasterOf(canvas);
}
