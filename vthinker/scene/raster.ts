// Raster images as plain data (RGBA bytes), and their PNG form. Everything that crosses module or thread boundaries
// is a RasterImage, never a canvas object, so pictures can be hashed, stored and sent to workers.
import { type Canvas, createCanvas, Image, ImageData } from './canvas.ts';
import { BACKGROUND, css } from './palette.ts';

/** An RGBA image, row-major, 4 bytes a pixel. */
export interface RasterImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/**
 * A new canvas whose text renders the same on every machine: the pinned font (see font.ts) and a fixed language,
 * since the default follows the host's. Every canvas in this project comes from here.
 *
 * Memory note: @napi-rs/canvas frees a canvas's and an image buffer's native memory only when the event loop turns
 * (deferred finalisers), so a long synchronous loop of renders should `await` now and then (every few hundred).
 */
export function newCanvas(width: number, height: number): Canvas {
  const canvas = createCanvas(width, height);
  canvas.getContext('2d').lang = 'en';
  return canvas;
}

/** A canvas holding a copy of `img` (for drawing on it or scaling it). */
export function canvasFrom(img: RasterImage): Canvas {
  const canvas = newCanvas(img.width, img.height);
  canvas.getContext('2d').putImageData(new ImageData(img.data, img.width, img.height), 0, 0);
  return canvas;
}

/** The pixels of a canvas as a RasterImage (a fresh copy). */
export function rasterOf(canvas: Canvas): RasterImage {
  const { width, height } = canvas;
  return { width, height, data: canvas.getContext('2d').getImageData(0, 0, width, height).data };
}

/** A white image of the given size. */
export function blankRaster(width: number, height: number): RasterImage {
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  return { width, height, data };
}

/** PNG bytes of an opaque image (the encoder of the pinned @napi-rs/canvas: same pixels, same bytes). */
export function encodePng(img: RasterImage): Buffer {
  return canvasFrom(img).encodeSync('png');
}

/**
 * Decodes PNG (or JPEG/WebP) bytes into an opaque RasterImage: transparent pixels are composited onto white, the
 * figures' background, so every decoded image can be drawn on and fed to the model alike. Throws on bad bytes.
 */
export function decodePng(buf: Uint8Array): RasterImage {
  const image = new Image();
  image.src = buf;
  if (!image.complete || image.width === 0 || image.height === 0) {
    throw new Error(`decodePng: the ${buf.length} bytes are not a decodable image (expected a PNG)`);
  }
  const canvas = newCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = css(BACKGROUND);
  ctx.fillRect(0, 0, image.width, image.height);
  ctx.drawImage(image, 0, 0);
  return rasterOf(canvas);
}

/** Whether two images have the same size and the same bytes. */
export function sameRaster(a: RasterImage, b: RasterImage): boolean {
  if (a.width !== b.width || a.height !== b.height || a.data.length !== b.data.length) return false;
  return Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).equals(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength));
}
