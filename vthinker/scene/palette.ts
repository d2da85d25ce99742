// The fixed palette and stroke sizes. Sizes are defined for a reference canvas side of 128 and scale with the figure,
// so a picture rendered at 64, 128 or 256 px looks the same, only sharper; a floor of one output pixel keeps thin
// strokes visible at small sizes.
import type { ColorName } from './types.ts';

/** An opaque colour as [r, g, b] bytes. */
export type Rgb = readonly [r: number, g: number, b: number];

/** RGB of every palette name; chosen to be distinct from each other and from AUXILIARY at a glance and in pixels. */
export const PALETTE: Readonly<Record<ColorName, Rgb>> = {
  ink: [20, 20, 20],
  grey: [128, 128, 128],
  red: [214, 39, 40],
  blue: [31, 119, 180],
  green: [44, 160, 44],
  orange: [255, 127, 14],
  purple: [118, 60, 168],
  teal: [23, 190, 207],
  brown: [140, 86, 75],
  pink: [247, 182, 210],
};

/** Every palette name, in a stable order (for creators that pick a colour and for validation messages). */
export const COLOR_NAMES = Object.keys(PALETTE) as readonly ColorName[];

/** Saturated magenta: used for every DrawOp and by no scene element, so an edit is always separable from the figure. */
export const AUXILIARY: Rgb = [255, 0, 255];

/** White: the background of every figure. */
export const BACKGROUND: Rgb = [255, 255, 255];

/** The default colour of elements that name none. */
export const DEFAULT_COLOR: ColorName = 'ink';

/** Canvas side the sizes below are designed for. */
export const REFERENCE_SIDE = 128;

/** Sizes in reference-canvas pixels (see REFERENCE_SIDE). */
export const SIZES = {
  /** Outline of figure elements. */
  stroke: 1.25,
  /** Auxiliary lines drawn by DrawOps: a little heavier than the figure so they stand out. */
  auxStroke: 1.5,
  /** Radius of a figure point's dot. */
  pointRadius: 2,
  /** Radius of an auxiliary point's dot. */
  auxPointRadius: 2.5,
  /** Point labels and default text size. */
  font: 10,
  /** Dash pattern of dashed segments (on, off). */
  dash: [4, 3] as readonly number[],
  /** Opacity of an auxiliary polygon's shading (its outline is opaque). */
  auxFillAlpha: 0.3,
  /** Opacity of a figure element's fill. */
  fillAlpha: 0.35,
} as const;

/** CSS form of an RGB colour with an optional alpha, for the canvas API. */
export function css(rgb: Rgb, alpha = 1): string {
  return alpha === 1 ? `rgb(${rgb[0]},${rgb[1]},${rgb[2]})` : `rgba(${rgb[0]},${rgb[1]},${rgb[2]},${alpha})`;
}

/** RGB of a palette name, defaulting to DEFAULT_COLOR. */
export function rgbOf(name: ColorName | undefined): Rgb {
  return PALETTE[name ?? DEFAULT_COLOR];
}

/**
 * Scene units per reference pixel: multiply a SIZES value by this to get scene units, for a scene whose longer side
 * is `sceneSide`.
 */
export function unitOf(sceneSide: number): number {
  return sceneSide / REFERENCE_SIDE;
}

/**
 * A size in scene units for a SIZES value, never thinner than `minOutputPx` output pixels at `scale` output pixels
 * per scene unit.
 */
export function sized(reference: number, sceneSide: number, scale: number, minOutputPx = 1): number {
  return Math.max(reference * unitOf(sceneSide), minOutputPx / scale);
}
