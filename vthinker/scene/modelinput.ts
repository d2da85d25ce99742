// The policy's view of an image: an area-averaged side x side x 3 float tensor in [0, 1], HWC order. Area averaging
// (each output pixel is the exact mean of the input area it covers) keeps thin auxiliary lines visible as tinted
// pixels instead of dropping them as point sampling would. Separable, with precomputed weights: O(W*H) per image.
import type { RasterImage } from './raster.ts';

interface Taps {
  /** First input index of each output index. */
  start: Int32Array;
  /** Number of input indices of each output index. */
  count: Int32Array;
  /** Weights, flattened in output order; each output's weights sum to 1. */
  weight: Float32Array;
}

// Taps per (input, output) size: every figure of a run has one of a few sizes, and building the weights again for
// each image was a quarter of the time of a training batch's downsampling.
const tapsCache = new Map<string, Taps>();
const tapsFor = (n: number, m: number): Taps => {
  const key = `${n}/${m}`;
  return tapsCache.get(key) ?? tapsCache.set(key, taps(n, m)).get(key)!;
};

// The horizontal pass's rows, reused across calls (grown when an image needs more; each call writes all it reads).
let rowsScratch = new Float32Array(0);

/** Overlap weights of `n` input cells onto `m` output cells spanning the same extent. */
function taps(n: number, m: number): Taps {
  const start = new Int32Array(m), count = new Int32Array(m);
  const weights: number[] = [];
  const ratio = n / m;
  for (let o = 0; o < m; o++) {
    const lo = o * ratio, hi = (o + 1) * ratio;
    const first = Math.floor(lo), last = Math.min(n - 1, Math.ceil(hi) - 1);
    start[o] = first;
    count[o] = last - first + 1;
    for (let i = first; i <= last; i++) weights.push((Math.min(hi, i + 1) - Math.max(lo, i)) / ratio);
  }
  return { start, count, weight: Float32Array.from(weights) };
}

/**
 * Area-average downsample (or upsample) of `img` to `side` x `side` x 3 floats in [0, 1]. A non-square image is
 * stretched to the square; transparent pixels count as white. Writes into `out` when given (length side*side*3).
 */
export function toModelInput(img: RasterImage, side: number, out?: Float32Array): Float32Array {
  const { width: w, height: h, data } = img;
  const result = out ?? new Float32Array(side * side * 3);
  if (result.length !== side * side * 3) throw new Error(`toModelInput: out has length ${result.length}, expected ${side * side * 3}`);
  const tx = tapsFor(w, side), ty = tapsFor(h, side);
  const xStart = tx.start, xCount = tx.count, xWeight = tx.weight;
  // Horizontal pass: every input row reduced to `side` columns, alpha-composited onto white, scaled to [0, 1].
  if (rowsScratch.length < h * side * 3) rowsScratch = new Float32Array(h * side * 3);
  const rows = rowsScratch;
  for (let y = 0; y < h; y++) {
    const rowIn = y * w * 4, rowOut = y * side * 3;
    let k = 0;
    for (let o = 0; o < side; o++) {
      let r = 0, g = 0, b = 0;
      const c = xCount[o]!;
      for (let j = 0, p = rowIn + xStart[o]! * 4; j < c; j++, p += 4) {
        const wt = xWeight[k++]!;
        const a = data[p + 3]!;
        if (a === 255) {
          r += wt * data[p]!;
          g += wt * data[p + 1]!;
          b += wt * data[p + 2]!;
        } else {
          const t = 255 - a, f = a / 255;
          r += wt * (data[p]! * f + t);
          g += wt * (data[p + 1]! * f + t);
          b += wt * (data[p + 2]! * f + t);
        }
      }
      const q = rowOut + o * 3;
      rows[q] = r / 255;
      rows[q + 1] = g / 255;
      rows[q + 2] = b / 255;
    }
  }
  // Vertical pass.
  const stride = side * 3;
  result.fill(0);
  let k = 0;
  for (let o = 0; o < side; o++) {
    const s = ty.start[o]!, c = ty.count[o]!, base = o * stride;
    for (let j = 0; j < c; j++) {
      const wt = ty.weight[k++]!, src = (s + j) * stride;
      for (let i = 0; i < stride; i++) result[base + i] += wt * rows[src + i]!;
    }
  }
  return result;
}
