// The drawing language's text form (see types.ts): what creators print into trajectories and what the policy writes
// inside <code> tags. Parsing is tolerant of layout (blank lines, `;`, commas, parentheses, fences, comments, case)
// but strict about meaning: integers only, known operations, exact arity, inside the canvas. Errors name the line.
import { type CanvasBounds, opProblem } from './validate.ts';
import type { DrawOp, DrawProgram, Pt } from './types.ts';

/** Operation names with their argument counts (polygon: an even count of at least 6). */
export const OPERATIONS = { line: 4, ray: 4, point: 2, circle: 3, polygon: -1, crop: 4 } as const;

/** Names of the drawing language's operations. */
export type OperationName = keyof typeof OPERATIONS;

/** Largest magnitude of a number in the text form: far beyond any canvas, small enough to stay exact. */
export const MAX_ABS_NUMBER = 100_000;

/** Options of parseProgram: the canvas bounds plus an optional cap on the operation count. */
export interface ParseOptions extends CanvasBounds {
  /** Stop with an error after this many operations (no cap by default). */
  maxOps?: number;
}

/** The outcome of parseProgram: the operations, or the first problem as a message naming its line. */
export type ParseResult = { ok: true; ops: DrawOp[] } | { ok: false; error: string };

const r = (v: number): number => Math.round(v);
const pt = (p: Pt): string => `${r(p[0])} ${r(p[1])}`;

/** One operation in text form, coordinates rounded to integers. */
export function formatOp(op: DrawOp): string {
  switch (op.op) {
    case 'line':
      return `line ${pt(op.from)} ${pt(op.to)}`;
    case 'ray':
      return `ray ${pt(op.from)} ${pt(op.through)}`;
    case 'point':
      return `point ${pt(op.at)}`;
    case 'circle':
      return `circle ${pt(op.center)} ${r(op.r)}`;
    case 'polygon':
      return `polygon ${op.points.map(pt).join(' ')}`;
    case 'crop':
      return `crop ${op.box.map(r).join(' ')}`;
  }
}

/** A program in text form: one operation per line, integers, no trailing newline. */
export function formatProgram(ops: DrawProgram): string {
  return ops.map(formatOp).join('\n');
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const FENCE = /^```[\w+-]*$/;

function readNumber(token: string): number | string {
  if (INTEGER.test(token)) {
    const value = Number(token);
    return Math.abs(value) > MAX_ABS_NUMBER ? `number ${token.length > 12 ? `${token.slice(0, 12)}...` : token} is too large (coordinates are canvas pixels)` : value === 0 ? 0 : value;
  }
  if (DECIMAL.test(token)) return `coordinates are whole pixels: got ${token.slice(0, 20)}, round it to an integer`;
  return `"${token.slice(0, 20)}${token.length > 20 ? '...' : ''}" is not a number`;
}

function build(name: OperationName, n: number[]): DrawOp {
  const p = (i: number): Pt => [n[i]!, n[i + 1]!];
  switch (name) {
    case 'line':
      return { op: 'line', from: p(0), to: p(2) };
    case 'ray':
      return { op: 'ray', from: p(0), through: p(2) };
    case 'point':
      return { op: 'point', at: p(0) };
    case 'circle':
      return { op: 'circle', center: p(0), r: n[2]! };
    case 'polygon':
      return { op: 'polygon', points: Array.from({ length: n.length / 2 }, (_, i) => p(2 * i)) };
    case 'crop':
      return { op: 'crop', box: [n[0]!, n[1]!, n[2]!, n[3]!] };
  }
}

function usage(name: OperationName): string {
  switch (name) {
    case 'line':
    case 'ray':
      return `${name} X1 Y1 X2 Y2`;
    case 'point':
      return 'point X Y';
    case 'circle':
      return 'circle CX CY R';
    case 'polygon':
      return 'polygon X1 Y1 X2 Y2 X3 Y3 ...';
    case 'crop':
      return 'crop X0 Y0 X1 Y1';
  }
}

/** Parses one statement (already stripped of comments and separators); an error message on failure. */
function parseStatement(statement: string, bounds: CanvasBounds): DrawOp | string {
  const tokens = statement.replace(/[(),[\]]/g, ' ').trim().split(/\s+/);
  const word = tokens[0]!.toLowerCase();
  if (!Object.hasOwn(OPERATIONS, word)) {
    return `unknown operation "${tokens[0]!.slice(0, 20)}${tokens[0]!.length > 20 ? '...' : ''}"; use one of ${Object.keys(OPERATIONS).join(', ')}`;
  }
  const name = word as OperationName;
  const args = tokens.slice(1);
  const arity = OPERATIONS[name];
  const arityOk = arity === -1 ? args.length >= 6 && args.length % 2 === 0 : args.length === arity;
  if (!arityOk) return `${name} takes ${arity === -1 ? 'an even number (at least 6) of' : arity} integers (${usage(name)}), got ${args.length}`;
  const numbers: number[] = [];
  for (const token of args) {
    const value = readNumber(token);
    if (typeof value === 'string') return value;
    numbers.push(value);
  }
  const op = build(name, numbers);
  return opProblem(op, bounds) ?? op;
}

/**
 * Parses the text form. Tolerates blank lines, `;` between statements, commas and parentheses around arguments
 * (`line(1, 2, 3, 4)`), upper case, ``` fences and `#` or `//` comments. The first problem is reported as
 * `line N: reason`. Runs in time linear in the text.
 */
export function parseProgram(text: string, options: ParseOptions): ParseResult {
  const ops: DrawOp[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/(#|\/\/).*$/, '').trim();
    if (line === '' || FENCE.test(line)) continue;
    for (const piece of line.split(';')) {
      const statement = piece.trim();
      if (statement === '') continue;
      const result = parseStatement(statement, options);
      if (typeof result === 'string') return { ok: false, error: `line ${i + 1}: ${result}` };
      ops.push(result);
      if (options.maxOps !== undefined && ops.length > options.maxOps) {
        return { ok: false, error: `line ${i + 1}: too many operations (at most ${options.maxOps} per call)` };
      }
    }
  }
  return { ok: true, ops };
}
