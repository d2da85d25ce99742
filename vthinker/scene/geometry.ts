// Plane geometry on plain numbers, shared by creators, solvers, checkers and judges. Pure and deterministic: no
// rounding happens here (callers round when they write a program). Lines are infinite unless the name says segment.
import type { Pt } from './types.ts';

/** Default tolerance for the nearly-equal helpers: far below a pixel, far above float noise on canvas coordinates. */
export const EPS = 1e-9;

/** Vector a + b. */
export const add = (a: Pt, b: Pt): Pt => [a[0] + b[0], a[1] + b[1]];
/** Vector a - b. */
export const sub = (a: Pt, b: Pt): Pt => [a[0] - b[0], a[1] - b[1]];
/** Vector a * k. */
export const scale = (a: Pt, k: number): Pt => [a[0] * k, a[1] * k];
/** Dot product. */
export const dot = (a: Pt, b: Pt): number => a[0] * b[0] + a[1] * b[1];
/** z-component of the 3-D cross product (positive when b is clockwise from a on screen, y down). */
export const cross = (a: Pt, b: Pt): number => a[0] * b[1] - a[1] * b[0];
/** Euclidean length of a vector. */
export const norm = (a: Pt): number => Math.hypot(a[0], a[1]);
/** Distance between two points. */
export const dist = (a: Pt, b: Pt): number => Math.hypot(a[0] - b[0], a[1] - b[1]);
/** Point at parameter t on a -> b (t = 0 gives a, 1 gives b). */
export const lerp = (a: Pt, b: Pt, t: number): Pt => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
/** Midpoint of a and b. */
export const midpoint = (a: Pt, b: Pt): Pt => lerp(a, b, 0.5);
/** Unit vector along v (the zero vector stays zero rather than becoming NaN). */
export const normalize = (v: Pt): Pt => {
  const n = norm(v);
  return n === 0 ? [0, 0] : [v[0] / n, v[1] / n];
};
/** v rotated by 90 degrees (counter-clockwise in maths axes). */
export const perp = (v: Pt): Pt => [-v[1], v[0]];
/** Point rounded to integers (what the drawing language accepts). */
export const roundPt = (p: Pt): Pt => [Math.round(p[0]), Math.round(p[1])];

/** |a - b| <= eps. */
export const nearlyEqual = (a: number, b: number, eps = EPS): boolean => Math.abs(a - b) <= eps;
/** Both coordinates nearly equal. */
export const nearlyEqualPt = (a: Pt, b: Pt, eps = EPS): boolean => nearlyEqual(a[0], b[0], eps) && nearlyEqual(a[1], b[1], eps);
/** |x| <= eps. */
export const nearlyZero = (x: number, eps = EPS): boolean => Math.abs(x) <= eps;

/** Sign of the turn a -> b -> c: 1 and -1 for the two turn directions, 0 when (nearly) collinear. */
export function orientation(a: Pt, b: Pt, c: Pt, eps = EPS): -1 | 0 | 1 {
  const v = cross(sub(b, a), sub(c, a));
  // Scale the tolerance by the lengths involved so "collinear" means the same at every canvas size.
  const tol = eps * Math.max(1, dist(a, b) * dist(a, c));
  return v > tol ? 1 : v < -tol ? -1 : 0;
}

/** Parameter t of the projection of p onto the line a -> b (0 at a, 1 at b); NaN when a = b. */
export function projectionParameter(p: Pt, a: Pt, b: Pt): number {
  const d = sub(b, a);
  const len2 = dot(d, d);
  return len2 === 0 ? Number.NaN : dot(sub(p, a), d) / len2;
}

/** Foot of the perpendicular from p onto the infinite line through a and b (a itself when a = b). */
export function footOfPerpendicular(p: Pt, a: Pt, b: Pt): Pt {
  const t = projectionParameter(p, a, b);
  return Number.isNaN(t) ? a : lerp(a, b, t);
}

/** Distance from p to the infinite line through a and b (distance to a when a = b). */
export function pointLineDistance(p: Pt, a: Pt, b: Pt): number {
  return dist(p, footOfPerpendicular(p, a, b));
}

/** Distance from p to the segment a-b. */
export function pointSegmentDistance(p: Pt, a: Pt, b: Pt): number {
  const t = projectionParameter(p, a, b);
  if (Number.isNaN(t)) return dist(p, a);
  return dist(p, lerp(a, b, Math.min(1, Math.max(0, t))));
}

/** Intersection of the infinite lines a1-a2 and b1-b2, or null when they are parallel (or degenerate). */
export function lineIntersection(a1: Pt, a2: Pt, b1: Pt, b2: Pt): Pt | null {
  const r = sub(a2, a1);
  const s = sub(b2, b1);
  const denom = cross(r, s);
  if (nearlyZero(denom, EPS * Math.max(1, norm(r) * norm(s)))) return null;
  const t = cross(sub(b1, a1), s) / denom;
  return lerp(a1, a2, t);
}

/**
 * Proper crossing of segments a1-a2 and b1-b2: the point where they cross, strictly inside both, or null (parallel,
 * disjoint, or only touching at an endpoint).
 */
export function segmentIntersection(a1: Pt, a2: Pt, b1: Pt, b2: Pt): Pt | null {
  const o1 = orientation(a1, a2, b1), o2 = orientation(a1, a2, b2);
  const o3 = orientation(b1, b2, a1), o4 = orientation(b1, b2, a2);
  if (o1 * o2 >= 0 || o3 * o4 >= 0) return null;
  return lineIntersection(a1, a2, b1, b2);
}

/**
 * Where the ray from `from` through `through` leaves the canvas [0, width] x [0, height]; `from` itself when the two
 * points coincide or `from` is outside and the ray never enters. Used by the `ray` operation ("extend a segment").
 */
export function rayToCanvasEdge(from: Pt, through: Pt, width: number, height: number): Pt {
  const d = sub(through, from);
  if (d[0] === 0 && d[1] === 0) return from;
  // Largest t >= 0 that keeps the point inside the box on both axes (slab method).
  let tMax = Number.POSITIVE_INFINITY;
  if (d[0] > 0) tMax = Math.min(tMax, (width - from[0]) / d[0]);
  if (d[0] < 0) tMax = Math.min(tMax, (0 - from[0]) / d[0]);
  if (d[1] > 0) tMax = Math.min(tMax, (height - from[1]) / d[1]);
  if (d[1] < 0) tMax = Math.min(tMax, (0 - from[1]) / d[1]);
  if (!(tMax > 0)) return from;
  const end = lerp(from, through, tMax);
  return [Math.min(width, Math.max(0, end[0])), Math.min(height, Math.max(0, end[1]))];
}

/** Circumcentre of triangle abc, or null when the points are collinear. */
export function circumcenter(a: Pt, b: Pt, c: Pt): Pt | null {
  const d = 2 * (a[0] * (b[1] - c[1]) + b[0] * (c[1] - a[1]) + c[0] * (a[1] - b[1]));
  if (orientation(a, b, c) === 0 || d === 0) return null;
  const a2 = dot(a, a), b2 = dot(b, b), c2 = dot(c, c);
  return [
    (a2 * (b[1] - c[1]) + b2 * (c[1] - a[1]) + c2 * (a[1] - b[1])) / d,
    (a2 * (c[0] - b[0]) + b2 * (a[0] - c[0]) + c2 * (b[0] - a[0])) / d,
  ];
}

/** Incentre of triangle abc (weighted by the opposite side lengths); null when degenerate. */
export function incenter(a: Pt, b: Pt, c: Pt): Pt | null {
  const la = dist(b, c), lb = dist(c, a), lc = dist(a, b);
  const p = la + lb + lc;
  if (p === 0 || orientation(a, b, c) === 0) return null;
  return [(la * a[0] + lb * b[0] + lc * c[0]) / p, (la * a[1] + lb * b[1] + lc * c[1]) / p];
}

/** Inradius of triangle abc (0 when degenerate). */
export function inradius(a: Pt, b: Pt, c: Pt): number {
  const p = dist(a, b) + dist(b, c) + dist(c, a);
  return p === 0 ? 0 : (2 * Math.abs(polygonArea([a, b, c]))) / p;
}

/** Centroid (mean) of a point set; for a triangle this is the intersection of its medians. */
export function centroid(points: readonly Pt[]): Pt {
  if (points.length === 0) throw new Error('centroid: needs at least one point');
  let x = 0, y = 0;
  for (const p of points) {
    x += p[0];
    y += p[1];
  }
  return [x / points.length, y / points.length];
}

/** Unit direction of the internal bisector of angle a-vertex-b (zero vector when an arm has length 0). */
export function angleBisectorDirection(a: Pt, vertex: Pt, b: Pt): Pt {
  const u = normalize(sub(a, vertex));
  const v = normalize(sub(b, vertex));
  const s = add(u, v);
  // Opposite arms (a straight angle): the bisector is perpendicular to them.
  return norm(s) < EPS ? normalize(perp(u)) : normalize(s);
}

/** Angle a-vertex-b in radians, in [0, pi]. */
export function angleAt(a: Pt, vertex: Pt, b: Pt): number {
  const u = sub(a, vertex), v = sub(b, vertex);
  return Math.atan2(Math.abs(cross(u, v)), dot(u, v));
}

/** Signed area by the shoelace formula: positive for clockwise-on-screen order (y down), negative otherwise. */
export function polygonArea(points: readonly Pt[]): number {
  let s = 0;
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!, q = points[(i + 1) % points.length]!;
    s += p[0] * q[1] - q[0] * p[1];
  }
  return s / 2;
}

/** Even-odd point-in-polygon test; points exactly on the boundary may go either way. */
export function pointInPolygon(p: Pt, polygon: readonly Pt[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i]!, b = polygon[j]!;
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}

/** Convex hull (Andrew's monotone chain), without collinear points, starting from the lowest-x point. */
export function convexHull(points: readonly Pt[]): Pt[] {
  const pts = [...points].sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  if (pts.length <= 2) return pts;
  const half = (list: Pt[]): Pt[] => {
    const out: Pt[] = [];
    for (const p of list) {
      while (out.length >= 2 && cross(sub(out[out.length - 1]!, out[out.length - 2]!), sub(p, out[out.length - 2]!)) <= 0) out.pop();
      out.push(p);
    }
    out.pop();
    return out;
  };
  return [...half(pts), ...half(pts.slice().reverse())];
}

/** Reflection of p across the infinite line through a and b. */
export function reflect(p: Pt, a: Pt, b: Pt): Pt {
  const f = footOfPerpendicular(p, a, b);
  return [2 * f[0] - p[0], 2 * f[1] - p[1]];
}

/** Whether p lies inside the canvas [0, width] x [0, height] (edges included). */
export function insideCanvas(p: Pt, width: number, height: number): boolean {
  return p[0] >= 0 && p[0] <= width && p[1] >= 0 && p[1] <= height;
}
