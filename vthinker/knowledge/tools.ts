// The named visual tools: each one turns exact scene parameters into DrawOps of the one drawing language the policy
// also writes, plus an instruction sentence in the grammar. Coordinates are rounded to integers because the
// language's text form is integer; checkers allow for that half pixel.
import type { DrawOp, Pt } from '../scene/types.ts';
import {
  add, angleBisectorDirection, footOfPerpendicular, midpoint, perp, rayToCanvasEdge, roundPt, scale, sub,
} from '../scene/geometry.ts';
import { fill } from './grammar.ts';

export interface ToolArgs {
  /** Points in template order (see each tool's `inputs`). */
  pts: readonly Pt[];
  /** Labels naming those points (or values), used in the instruction. */
  words: readonly string[];
  width: number;
  height: number;
  /** Extra numbers (a box, a span) some tools need. */
  nums?: readonly number[];
}

export interface VisualTool {
  name: string;
  description: string;
  /** Instruction template in the grammar ($L label, $N number, $C colour, $LS label list). */
  instruction: string;
  /** What the model thinks before drawing (short, grammar words). */
  thought: string;
  ops(args: ToolArgs): DrawOp[];
}

const r = roundPt;

/** The whole line through a and b, clipped to the canvas (as one segment between its two edge points). */
function lineAcross(a: Pt, dir: Pt, width: number, height: number): DrawOp {
  const p = rayToCanvasEdge(a, add(a, dir), width, height);
  const q = rayToCanvasEdge(a, sub(a, dir), width, height);
  return { op: 'line', from: r(p), to: r(q) };
}

const at = (args: ToolArgs, i: number): Pt => {
  const p = args.pts[i];
  if (!p) throw new Error(`tools: missing point ${i + 1} (got ${args.pts.length})`);
  return p;
};

const num = (args: ToolArgs, i: number): number => {
  const n = args.nums?.[i];
  if (n === undefined) throw new Error(`tools: missing number ${i + 1}`);
  return n;
};

export const TOOLS = {
  connect: {
    name: 'connect', description: 'join two points with a segment', instruction: 'draw segment $L $L', thought: 'connect $L $L',
    ops: (a) => [{ op: 'line', from: at(a, 0), to: at(a, 1) }],
  },
  extend: {
    name: 'extend', description: 'extend segment AB beyond B as a ray to the canvas edge', instruction: 'draw ray $L $L',
    thought: 'extend $L $L', ops: (a) => [{ op: 'ray', from: at(a, 0), through: at(a, 1) }],
  },
  'full-line': {
    name: 'full-line', description: 'the whole line through two points, edge to edge', instruction: 'draw line $L $L',
    thought: 'extend line $L $L', ops: (a) => [lineAcross(at(a, 0), sub(at(a, 1), at(a, 0)), a.width, a.height)],
  },
  perpendicular: {
    name: 'perpendicular', description: 'the perpendicular from a point to a line, with its foot marked',
    instruction: 'draw the perpendicular from $L to line $L $L', thought: 'drop perpendicular from $L',
    ops: (a) => {
      const foot = r(footOfPerpendicular(at(a, 0), at(a, 1), at(a, 2)));
      return [{ op: 'line', from: at(a, 0), to: foot }, { op: 'point', at: foot }];
    },
  },
  midpoint: {
    name: 'midpoint', description: 'mark the midpoint of two points', instruction: 'mark the midpoint of $L $L',
    thought: 'find the midpoint of $L $L', ops: (a) => [{ op: 'point', at: r(midpoint(at(a, 0), at(a, 1))) }],
  },
  parallel: {
    name: 'parallel', description: 'the line through a point parallel to a segment',
    instruction: 'draw the line through $L parallel to $L $L', thought: 'draw parallel through $L',
    ops: (a) => [lineAcross(at(a, 0), sub(at(a, 2), at(a, 1)), a.width, a.height)],
  },
  bisector: {
    name: 'bisector', description: 'the bisector of an angle, as a ray from its vertex',
    instruction: 'draw the bisector of angle $L $L $L', thought: 'bisect angle $L $L $L',
    ops: (a) => {
      const v = at(a, 1);
      const dir = angleBisectorDirection(at(a, 0), v, at(a, 2));
      // The through point sits just inside the canvas edge: as far out as possible, so rounding bends the ray least.
      const edge = rayToCanvasEdge(v, add(v, dir), a.width, a.height);
      const reach = Math.max(1, Math.hypot(edge[0] - v[0], edge[1] - v[1]) - 1);
      return [{ op: 'ray', from: v, through: r(add(v, scale(dir, reach))) }];
    },
  },
  'circle-through': {
    name: 'circle-through', description: 'the circle with a given centre through a given point',
    instruction: 'draw the circle with centre $L through $L', thought: 'draw circle centre $L',
    ops: (a) => {
      const o = at(a, 0), p = at(a, 1);
      return [{ op: 'circle', center: o, r: Math.round(Math.hypot(p[0] - o[0], p[1] - o[1])) }];
    },
  },
  'perpendicular-bisector': {
    name: 'perpendicular-bisector', description: 'the perpendicular bisector of a segment, with its midpoint',
    instruction: 'draw the perpendicular bisector of $L $L', thought: 'bisect $L $L',
    ops: (a) => {
      const m = midpoint(at(a, 0), at(a, 1));
      return [lineAcross(m, perp(sub(at(a, 1), at(a, 0))), a.width, a.height), { op: 'point', at: r(m) }];
    },
  },
  median: {
    name: 'median', description: 'the median from a vertex to the midpoint of the opposite side',
    instruction: 'draw the median from $L of triangle $L $L $L', thought: 'draw median from $L',
    ops: (a) => {
      const m = r(midpoint(at(a, 2), at(a, 3)));
      return [{ op: 'point', at: m }, { op: 'line', from: at(a, 0), to: m }];
    },
  },
  'mark-point': {
    name: 'mark-point', description: 'mark a point', instruction: 'mark point $L', thought: 'mark $L',
    ops: (a) => [{ op: 'point', at: r(at(a, 0)) }],
  },
  shade: {
    name: 'shade', description: 'shade the polygon with the given vertices', instruction: 'shade polygon $LS',
    thought: 'shade polygon $LS', ops: (a) => [{ op: 'polygon', points: a.pts.map(r) }],
  },
  crop: {
    name: 'crop', description: 'zoom into a box (x0 y0 x1 y1)', instruction: 'zoom the grey box', thought: 'zoom the grey box',
    ops: (a) => [{ op: 'crop', box: [num(a, 0), num(a, 1), num(a, 2), num(a, 3)].map(Math.round) as [number, number, number, number] }],
  },
  'horizontal-line': {
    name: 'horizontal-line', description: 'a horizontal reference line at a value (pixel row nums[0])',
    instruction: 'draw the horizontal line at y $N', thought: 'draw horizontal line at $N',
    ops: (a) => {
      const y = Math.round(num(a, 0));
      return [{ op: 'line', from: [0, y], to: [a.width, y] }];
    },
  },
  'vertical-line': {
    name: 'vertical-line', description: 'a vertical reference line at a value (pixel column nums[0])',
    instruction: 'draw the vertical line at x $N', thought: 'draw vertical line at $N',
    ops: (a) => {
      const x = Math.round(num(a, 0));
      return [{ op: 'line', from: [x, 0], to: [x, a.height] }];
    },
  },
  'bar-top-line': {
    name: 'bar-top-line', description: 'a horizontal line level with the top of a bar', instruction: 'draw the horizontal line at the top of bar $L',
    thought: 'compare with the top of bar $L',
    ops: (a) => {
      const y = Math.round(at(a, 0)[1]);
      return [{ op: 'line', from: [0, y], to: [a.width, y] }];
    },
  },
} satisfies Record<string, VisualTool>;

export type ToolName = keyof typeof TOOLS;
export const TOOL_NAMES = Object.keys(TOOLS) as ToolName[];

export interface Step {
  tool: ToolName;
  ops: DrawOp[];
  /** The step's instruction in the grammar (e.g. "draw ray A B"). */
  note: string;
}

/** Apply a tool: its ops and its filled instruction. */
export function applyTool(tool: ToolName, args: ToolArgs): Step {
  const def: VisualTool = TOOLS[tool];
  return { tool, ops: def.ops(args), note: fill(def.instruction, args.words) };
}

/** The tool's "before" thought with its words filled in. */
export function toolThought(tool: ToolName, words: readonly string[]): string {
  const template = TOOLS[tool].thought;
  // Thoughts name fewer things than instructions: they take the leading words only.
  return fill(template, words.slice(0, template.split(' ').filter((w) => w.startsWith('$')).length));
}
