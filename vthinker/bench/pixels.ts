// Pixel primitives of the image judges: which pixels an edit changed, distances to a set of pixels, connected parts.
// Plain loops over typed arrays: a 1024x1024 image takes a few tens of milliseconds.
import { createCanvas, ImageData } from '../scene/canvas.ts';
import type { RasterImage } from '../scene/render.ts';

/** A binary mask, row-major, 1 where set. */
export interface Mask {
  width: number;
  height: number;
  data: Uint8Array;
  count: number;
}

/**
 * Pixels whose RGB differs from `base` by more than `threshold` (Euclidean distance in 0..255 RGB). By distance,
 * not by colour: real benchmark edits are drawn in any colour, and a threshold ignores anti-aliasing fringes and
 * mild compression noise.
 */
export function changeMask(base: RasterImage, edited: RasterImage, threshold: number): Mask {
  if (base.width !== edited.width || base.height !== edited.height) {
    throw new Error(`changeMask: size ${edited.width}x${edited.height} differs from the original's ${base.width}x${base.height}`);
  }
  const n = base.width * base.height;
  const data = new Uint8Array(n);
  const t2 = threshold * threshold;
  let count = 0;
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    const dr = base.data[j]! - edited.data[j]!, dg = base.data[j + 1]! - edited.data[j + 1]!, db = base.data[j + 2]! - edited.data[j + 2]!;
    if (dr * dr + dg * dg + db * db > t2) {
      data[i] = 1;
      count++;
    }
  }
  return { width: base.width, height: base.height, data, count };
}

const INF = 1e20;

/** Squared Euclidean distance transform of one line (Felzenszwalb & Huttenlocher), in place over f. */
function edt1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -INF;
  z[1] = INF;
  for (let q = 1; q < n; q++) {
    let s = (f[q]! + q * q - (f[v[k]!]! + v[k]! * v[k]!)) / (2 * q - 2 * v[k]!);
    while (s <= z[k]!) {
      k--;
      s = (f[q]! + q * q - (f[v[k]!]! + v[k]! * v[k]!)) / (2 * q - 2 * v[k]!);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = INF;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1]! < q) k++;
    d[q] = (q - v[k]!) * (q - v[k]!) + f[v[k]!]!;
  }
  for (let q = 0; q < n; q++) f[q] = d[q]!;
}

/** Exact Euclidean distance (pixels) from every pixel to the nearest set pixel of `mask` (Infinity if none). */
export function distanceTo(mask: Mask): Float64Array {
  const { width: w, height: h } = mask;
  const grid = new Float64Array(w * h);
  for (let i = 0; i < w * h; i++) grid[i] = mask.data[i] ? 0 : INF;
  const side = Math.max(w, h);
  const f = new Float64Array(side), d = new Float64Array(side), z = new Float64Array(side + 1);
  const v = new Int32Array(side);
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) f[y] = grid[y * w + x]!;
    edt1d(f, h, d, v, z);
    for (let y = 0; y < h; y++) grid[y * w + x] = f[y]!;
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) f[x] = grid[y * w + x]!;
    edt1d(f, w, d, v, z);
    for (let x = 0; x < w; x++) grid[y * w + x] = f[x]! >= INF / 2 ? Infinity : Math.sqrt(f[x]!);
  }
  return grid;
}

/** 8-connected parts of a mask: a label per pixel (0 = unset, parts numbered from 1) and each part's size. */
export function components(mask: Mask): { labels: Int32Array; sizes: number[] } {
  const { width: w, height: h } = mask;
  const labels = new Int32Array(w * h);
  const sizes: number[] = [0];
  const stack: number[] = [];
  for (let start = 0; start < w * h; start++) {
    if (!mask.data[start] || labels[start]) continue;
    const label = sizes.length;
    let size = 0;
    labels[start] = label;
    stack.push(start);
    while (stack.length) {
      const p = stack.pop()!;
      size++;
      const px = p % w, py = (p - px) / w;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const x = px + dx, y = py + dy;
          if (x < 0 || y < 0 || x >= w || y >= h) continue;
          const q = y * w + x;
          if (mask.data[q] && !labels[q]) {
            labels[q] = label;
            stack.push(q);
          }
        }
      }
    }
    sizes.push(size);
  }
  return { labels, sizes };
}

/** `img` scaled to width x height (smooth resampling), for outputs returned at another size than the original. */
export function resizeRaster(img: RasterImage, width: number, height: number): RasterImage {
  if (img.width === width && img.height === height) return img;
  const source = createCanvas(img.width, img.height);
  source.getContext('2d').putImageData(new ImageData(img.data, img.width, img.height), 0, 0);
  const target = createCanvas(width, height);
  const ctx = target.getContext('2d');
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(source, 0, 0, width, height);
  return { width, height, data: ctx.getImageData(0, 0, width, height).data };
}
