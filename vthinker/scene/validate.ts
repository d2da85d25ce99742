// Validation of scenes and drawing programs that arrive as untyped JSON (creators' output, files, a model's code).
// Every error names the path of the bad field, what was expected and what came, so the author can fix it.
import { COLOR_NAMES } from './palette.ts';
import type { ColorName, DrawOp, DrawProgram, Pt, Scene, SceneElement } from './types.ts';

/** The canvas an operation must fit, and the drawing language's size limits. */
export interface CanvasBounds {
  width: number;
  height: number;
  /** How far (in canvas pixels) a coordinate may lie outside the canvas; 0 by default (edges are inside). */
  margin?: number;
  /** Smallest side of a crop box in canvas pixels (8 by default: smaller views carry too little to read). */
  minCrop?: number;
  /** Most vertices of a polygon (64 by default). */
  maxPolygonPoints?: number;
}

/** Largest canvas side accepted: far above any figure, low enough that a typo cannot allocate gigabytes. */
export const MAX_CANVAS_SIDE = 4096;
/** Longest text element and point id/label (characters). */
export const MAX_TEXT_LENGTH = 200;

const DEFAULT_MIN_CROP = 8;
/** Structural cap on a polygon from JSON, before any canvas bounds apply (keeps a malformed file from exhausting memory). */
const MAX_PROGRAM_POLYGON_POINTS = 4096;
const DEFAULT_MAX_POLYGON_POINTS = 64;

/** Short printable form of a bad value for an error message. */
export function show(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? 'undefined' : typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value);
    // Lists read like the coordinates people write: [400, 2].
    if (Array.isArray(value)) text = text.replace(/,/g, ', ');
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function fail(path: string, expected: string, got: unknown): never {
  throw new Error(`${path}: expected ${expected}, got ${show(got)}`);
}

function inRange(p: Pt, b: CanvasBounds): boolean {
  const m = b.margin ?? 0;
  return p[0] >= -m && p[0] <= b.width + m && p[1] >= -m && p[1] <= b.height + m;
}

function canvasText(b: CanvasBounds): string {
  const m = b.margin ?? 0;
  return m === 0 ? `the ${b.width}x${b.height} canvas` : `the ${b.width}x${b.height} canvas (plus a ${m} px margin)`;
}

/** Reads [x, y]; with bounds, also requires it inside the canvas. */
function readPt(v: unknown, path: string, b?: CanvasBounds): Pt {
  if (!Array.isArray(v) || v.length !== 2 || !isFiniteNumber(v[0]) || !isFiniteNumber(v[1]) || (b && !inRange(v as unknown as Pt, b))) {
    fail(path, b ? `[x, y] numbers inside ${canvasText(b)}` : '[x, y] finite numbers', v);
  }
  return [v[0], v[1]];
}

function readPts(v: unknown, path: string, b: CanvasBounds | undefined, min: number, max: number): Pt[] {
  if (!Array.isArray(v) || v.length < min || v.length > max) fail(path, `a list of ${min} to ${max} [x, y] points`, v);
  return v.map((p, i) => readPt(p, `${path}[${i}]`, b));
}

function readColor(v: unknown, path: string): ColorName | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !(COLOR_NAMES as readonly string[]).includes(v)) fail(path, `one of ${COLOR_NAMES.join(', ')}`, v);
  return v as ColorName;
}

function readText(v: unknown, path: string, optional: boolean): string | undefined {
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_TEXT_LENGTH) fail(path, `a non-empty string of at most ${MAX_TEXT_LENGTH} characters`, v);
  return v;
}

function readPositive(v: unknown, path: string, max: number): number {
  if (!isFiniteNumber(v) || v <= 0 || v > max) fail(path, `a number in (0, ${max}]`, v);
  return v;
}

function readBool(v: unknown, path: string): boolean | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') fail(path, 'true or false', v);
  return v;
}

/** Copy of `obj` without undefined values, so validated output equals its JSON round trip. */
function compact<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

const ELEMENT_KINDS = ['point', 'segment', 'polyline', 'polygon', 'circle', 'rect', 'text'] as const;

function readElement(v: unknown, path: string, b: CanvasBounds): SceneElement {
  if (!isObject(v)) fail(path, 'an element object with a "kind"', v);
  const side = Math.max(b.width, b.height);
  const color = readColor(v.color, `${path}.color`);
  switch (v.kind) {
    case 'point':
      return compact({ kind: 'point', id: readText(v.id, `${path}.id`, false)!, at: readPt(v.at, `${path}.at`, b), label: readText(v.label, `${path}.label`, true), color });
    case 'segment':
      return compact({ kind: 'segment', from: readPt(v.from, `${path}.from`, b), to: readPt(v.to, `${path}.to`, b), color, dashed: readBool(v.dashed, `${path}.dashed`) });
    case 'polyline':
      return compact({ kind: 'polyline', points: readPts(v.points, `${path}.points`, b, 2, 1024), color });
    case 'polygon':
      return compact({ kind: 'polygon', points: readPts(v.points, `${path}.points`, b, 3, 1024), color, fill: readColor(v.fill, `${path}.fill`) });
    case 'circle':
      return compact({ kind: 'circle', center: readPt(v.center, `${path}.center`, b), r: readPositive(v.r, `${path}.r`, 2 * side), color, fill: readColor(v.fill, `${path}.fill`) });
    case 'rect': {
      const at = readPt(v.at, `${path}.at`, b);
      const w = readPositive(v.w, `${path}.w`, b.width), h = readPositive(v.h, `${path}.h`, b.height);
      if (!inRange([at[0] + w, at[1] + h], b)) fail(`${path}`, `a rectangle inside ${canvasText(b)}`, { at, w, h });
      return compact({ kind: 'rect', at, w, h, color, fill: readColor(v.fill, `${path}.fill`) });
    }
    case 'text':
      return compact({ kind: 'text', at: readPt(v.at, `${path}.at`, b), text: readText(v.text, `${path}.text`, false)!, color, size: v.size === undefined ? undefined : readPositive(v.size, `${path}.size`, side) });
    default:
      return fail(`${path}.kind`, `one of ${ELEMENT_KINDS.join(', ')}`, v.kind);
  }
}

/** Checks an untyped value is a well-formed Scene and returns a clean copy; throws an Error naming the bad field. */
export function validateScene(value: unknown): Scene {
  if (!isObject(value)) fail('scene', 'an object { width, height, elements }', value);
  for (const key of ['width', 'height'] as const) {
    const v = value[key];
    if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > MAX_CANVAS_SIDE) fail(`scene.${key}`, `an integer from 1 to ${MAX_CANVAS_SIDE}`, v);
  }
  const bounds: CanvasBounds = { width: value.width as number, height: value.height as number };
  if (!Array.isArray(value.elements)) fail('scene.elements', 'a list of elements', value.elements);
  const elements = value.elements.map((e, i) => readElement(e, `scene.elements[${i}]`, bounds));
  const seen = new Map<string, number>();
  elements.forEach((e, i) => {
    if (e.kind !== 'point') return;
    const first = seen.get(e.id);
    if (first !== undefined) throw new Error(`scene.elements[${i}].id: point id "${e.id}" is already used by scene.elements[${first}]; give every point a unique id`);
    seen.set(e.id, i);
  });
  return { width: bounds.width, height: bounds.height, elements };
}

/**
 * Why `op` does not fit `bounds`, or null when it does: the shared rule for programs from JSON, from text and from
 * the sandbox. Assumes the op is structurally well-formed (finite numbers).
 */
export function opProblem(op: DrawOp, bounds: CanvasBounds): string | null {
  const where = (p: Pt) => (inRange(p, bounds) ? null : `(${p[0]}, ${p[1]}) is outside ${canvasText(bounds)}`);
  const side = Math.max(bounds.width, bounds.height);
  switch (op.op) {
    case 'line':
      return where(op.from) ?? where(op.to);
    case 'ray':
      if (op.from[0] === op.through[0] && op.from[1] === op.through[1]) return 'the two points of a ray must differ (it goes from the first through the second)';
      return where(op.from) ?? where(op.through);
    case 'point':
      return where(op.at);
    case 'circle':
      if (!(op.r > 0 && op.r <= 2 * side)) return `radius ${op.r} must be between 1 and ${2 * side}`;
      return where(op.center);
    case 'polygon': {
      const max = bounds.maxPolygonPoints ?? DEFAULT_MAX_POLYGON_POINTS;
      if (op.points.length < 3 || op.points.length > max) return `a polygon needs 3 to ${max} points, got ${op.points.length}`;
      for (const p of op.points) {
        const problem = where(p);
        if (problem) return problem;
      }
      return null;
    }
    case 'crop': {
      const [x0, y0, x1, y1] = op.box;
      const min = bounds.minCrop ?? DEFAULT_MIN_CROP;
      if (x0 < 0 || y0 < 0 || x1 > bounds.width || y1 > bounds.height) return `crop box (${x0}, ${y0}, ${x1}, ${y1}) must lie inside the ${bounds.width}x${bounds.height} canvas`;
      if (x1 - x0 < min || y1 - y0 < min) return `crop box (${x0}, ${y0}, ${x1}, ${y1}) must be at least ${min}x${min} with x0 < x1 and y0 < y1`;
      return null;
    }
  }
}

function readOp(v: unknown, path: string): DrawOp {
  if (!isObject(v)) fail(path, 'an operation object with an "op"', v);
  switch (v.op) {
    case 'line':
      return { op: 'line', from: readPt(v.from, `${path}.from`), to: readPt(v.to, `${path}.to`) };
    case 'ray':
      return { op: 'ray', from: readPt(v.from, `${path}.from`), through: readPt(v.through, `${path}.through`) };
    case 'point':
      return { op: 'point', at: readPt(v.at, `${path}.at`) };
    case 'circle':
      if (!isFiniteNumber(v.r)) fail(`${path}.r`, 'a number', v.r);
      return { op: 'circle', center: readPt(v.center, `${path}.center`), r: v.r };
    case 'polygon':
      return { op: 'polygon', points: readPts(v.points, `${path}.points`, undefined, 3, MAX_PROGRAM_POLYGON_POINTS) };
    case 'crop': {
      const box = v.box;
      if (!Array.isArray(box) || box.length !== 4 || !box.every(isFiniteNumber)) fail(`${path}.box`, '[x0, y0, x1, y1] numbers', box);
      return { op: 'crop', box: [box[0], box[1], box[2], box[3]] };
    }
    default:
      return fail(`${path}.op`, 'one of line, ray, point, circle, polygon, crop', v.op);
  }
}

/**
 * Checks an untyped value is a well-formed DrawProgram (coordinates may be fractional: creators keep exact
 * parameters) and, given `bounds`, that every operation fits the canvas; returns a clean copy or throws.
 */
export function validateProgram(value: unknown, bounds?: CanvasBounds): DrawProgram {
  if (!Array.isArray(value)) fail('program', 'a list of operations', value);
  return value.map((v, i) => {
    const op = readOp(v, `program[${i}]`);
    const problem = bounds ? opProblem(op, bounds) : null;
    if (problem) throw new Error(`program[${i}] (${op.op}): ${problem}`);
    return op;
  });
}
