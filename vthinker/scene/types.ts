// The plain-data programs everything else exchanges: a scene (the original figure) and drawing operations (the
// auxiliary construction, written by creators and by the policy alike). Pixel coordinates, top-left origin, the
// canvas is `width` x `height` and full-bleed. Rendering is a pure function of these values.

/** A point in canvas pixels (x to the right, y down). */
export type Pt = readonly [x: number, y: number];

/** Colours are names from the fixed palette in palette.ts, never free CSS, so every figure stays on-palette. */
export type ColorName = 'ink' | 'grey' | 'red' | 'blue' | 'green' | 'orange' | 'purple' | 'teal' | 'brown' | 'pink';

/** Elements of a figure. Labelled points carry an id that questions refer to (e.g. "A"). */
export type SceneElement =
  | { kind: 'point'; id: string; at: Pt; label?: string; color?: ColorName }
  | { kind: 'segment'; from: Pt; to: Pt; color?: ColorName; dashed?: boolean }
  | { kind: 'polyline'; points: readonly Pt[]; color?: ColorName }
  | { kind: 'polygon'; points: readonly Pt[]; color?: ColorName; fill?: ColorName }
  | { kind: 'circle'; center: Pt; r: number; color?: ColorName; fill?: ColorName }
  | { kind: 'rect'; at: Pt; w: number; h: number; color?: ColorName; fill?: ColorName }
  | { kind: 'text'; at: Pt; text: string; color?: ColorName; size?: number };

export interface Scene {
  width: number;
  height: number;
  elements: readonly SceneElement[];
}

/**
 * One operation of the drawing language (the analogue of the paper's Python drawing code). Its text form, one
 * operation per line, integers in canvas pixels:
 *   line X1 Y1 X2 Y2          segment
 *   ray X1 Y1 X2 Y2           from (X1,Y1) through (X2,Y2) to the canvas edge ("extend a segment")
 *   point X Y                 mark a point
 *   circle CX CY R            circle outline
 *   polygon X1 Y1 ... Xn Yn   shade a region (n >= 3)
 *   crop X0 Y0 X1 Y1          zoom: the returned view is this box scaled to the canvas
 * Everything is drawn in the auxiliary colour, so an edit is always distinguishable from the figure.
 */
export type DrawOp =
  | { op: 'line'; from: Pt; to: Pt }
  | { op: 'ray'; from: Pt; through: Pt }
  | { op: 'point'; at: Pt }
  | { op: 'circle'; center: Pt; r: number }
  | { op: 'polygon'; points: readonly Pt[] }
  | { op: 'crop'; box: readonly [x0: number, y0: number, x1: number, y1: number] };

export type DrawProgram = readonly DrawOp[];
