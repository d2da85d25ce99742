// Answer equivalence, shared by the accuracy reward and the benchmark's IR judge: a predicted answer equals the gold
// one when they say the same yes/no, the same option or point label, the same number (a numeric expression: 3,
// 1/2, \frac{1}{2}, 2√3, 2\sqrt{3}, 3π, optionally with a unit), the same bracketed tuple or interval element by
// element, or the same text once LaTeX spelling, case and whitespace are set aside. The rules and their limits are
// listed in vthinker/bench/README.md ("Answer equivalence"); the judge of a real benchmark should stay as lenient
// as a careful human reader and no more (no algebra: "y = 1 + 2x" is not "y = 2x + 1"). LaTeX is rewritten to its
// plain spelling by latex.ts and numeric expressions are read by numeric.ts.
import { bracedGroup, latexToPlain } from './latex.ts';
import { evaluateNumber } from './numeric.ts';

/** A normalised reading of an answer. */
export type AnswerValue =
  | { kind: 'bool'; value: boolean }
  | { kind: 'label'; value: string }
  | { kind: 'number'; value: number; unit: string }
  | { kind: 'text'; value: string };

// Not 'y'/'n': single letters are point labels (Y and N are labels too).
const YES = new Set(['yes', 'true']);
const NO = new Set(['no', 'false']);
/** Units that carry no information when written as words or symbols (so "90°" equals "90 degrees"). */
const UNIT_ALIASES: Record<string, string> = { '°': 'deg', degree: 'deg', degrees: 'deg', deg: 'deg', '%': '%', percent: '%' };

/** Removes wrappers models put around answers: \boxed{...}, $...$, \(...\), \[...\], quotes, bold, a trailing full stop. */
function unwrap(text: string): string {
  let s = text.trim();
  for (let guard = 0; guard < 6; guard++) {
    const before = s;
    if (s.startsWith('\\boxed')) {
      const g = bracedGroup(s, 6);
      if (g.end >= s.length) s = g.body.trim();
    }
    const delimited = /^\\\(([\s\S]*)\\\)$/.exec(s) ?? /^\\\[([\s\S]*)\\\]$/.exec(s);
    if (delimited) s = delimited[1]!.trim();
    s = s.replace(/^\$+|\$+$/g, '').replace(/^["'`]+|["'`]+$/g, '').replace(/^\*\*|\*\*$/g, '').replace(/[.。]$/, '').trim();
    if (s === before) break;
  }
  return s;
}

/** A unit after a number: one word (cm, degrees, units), °, %, optionally squared or cubed. */
const UNIT = /^(.*?)\s*(°|%|[a-z]{1,12}(?:\^?[23²³])?)$/i;
const NOT_UNITS = new Set(['pi', 'sqrt']);

function readNumber(s: string): { value: number; unit: string } | null {
  // 1,000 and 12,345.5: thousands separators, only where the whole number is written that way.
  const plain = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(s) ? s.replace(/,/g, '') : s;
  const whole = evaluateNumber(plain);
  if (whole !== null) return { value: whole, unit: '' };
  const m = UNIT.exec(plain);
  if (!m || m[1] === '' || NOT_UNITS.has(m[2]!.toLowerCase())) return null;
  const value = evaluateNumber(m[1]!);
  if (value === null) return null;
  const raw = m[2]!.toLowerCase().replace('²', '^2').replace('³', '^3').replace(/^([a-z]+)([23])$/, '$1^$2');
  return { value, unit: UNIT_ALIASES[raw] ?? raw };
}

/**
 * An option or point label: "C", "(C)", "C)", "Option C", "option (c)", "Choice C", or an option with its text
 * ("(B) 8/11", "B: 2√3"; an upper-case letter then). Null otherwise.
 */
function readLabel(s: string): string | null {
  const t = s.replace(/^(?:option|choice)\s*/i, '');
  const bare = /^[(\[]?([a-z])[)\]]?$/i.exec(t);
  if (bare) return bare[1]!.toUpperCase();
  const withText = /^(?:\(([A-Z])\)|([A-Z])[:)])\s*\S/.exec(t);
  return withText ? (withText[1] ?? withText[2])! : null;
}

/** Parses an answer into a comparable value. */
export function parseAnswer(text: string): AnswerValue {
  const s = latexToPlain(unwrap(text)).trim();
  const lower = s.toLowerCase();
  if (YES.has(lower)) return { kind: 'bool', value: true };
  if (NO.has(lower)) return { kind: 'bool', value: false };
  // Labels are upper case in every figure and option list, so the case a model writes is ignored.
  const label = readLabel(s);
  if (label !== null) return { kind: 'label', value: label };
  const n = readNumber(s) ?? readNumber(/^[a-z]\w*\s*=\s*(.+)$/i.exec(s)?.[1] ?? '');
  if (n) return { kind: 'number', ...n };
  return { kind: 'text', value: lower.replace(/\s+/g, ' ') };
}

/** Relative tolerance for numbers: decimals written to a few places still match their fraction or surd. */
const REL_TOL = 1e-4;

/** The top-level comma-separated parts of a bracketed answer ("(-2, 1]" -> "(", ["-2", "1"], "]"), or null. */
function tuple(s: string): { open: string; close: string; parts: string[] } | null {
  const m = /^([(\[{])([\s\S]*)([)\]}])$/.exec(s);
  if (!m) return null;
  const parts: string[] = [];
  let depth = 0, start = 0;
  const body = m[2]!;
  for (let i = 0; i < body.length; i++) {
    if ('([{'.includes(body[i]!)) depth++;
    else if (')]}'.includes(body[i]!)) depth--;
    else if (body[i] === ',' && depth === 0) (parts.push(body.slice(start, i)), (start = i + 1));
    if (depth < 0) return null;
  }
  parts.push(body.slice(start));
  return parts.length >= 2 ? { open: m[1]!, close: m[3]!, parts } : null;
}

/**
 * Whether a predicted answer equals the gold one. Numbers compare with a relative tolerance of 1e-4 (so "0.3333"
 * matches "1/3" and "3.4641" matches "2√3"); a unit on only one side is ignored ("5 cm" = "5"), different units
 * never match ("5 cm" != "5 m"). Tuples and intervals compare part by part with the same brackets; text compares
 * without case or whitespace ("y = 2x + 1" = "y=2x+1").
 */
export function answersEqual(pred: string, gold: string): boolean {
  const ta = tuple(latexToPlain(unwrap(pred)).trim()), tb = tuple(latexToPlain(unwrap(gold)).trim());
  if (ta && tb) return ta.open === tb.open && ta.close === tb.close && ta.parts.length === tb.parts.length && ta.parts.every((p, i) => answersEqual(p, tb.parts[i]!));
  const a = parseAnswer(pred);
  const b = parseAnswer(gold);
  if (a.kind === 'text' && a.value === '') return false;
  if (a.kind !== b.kind) return false;
  if (a.kind === 'number' && b.kind === 'number') {
    if (a.unit !== '' && b.unit !== '' && a.unit !== b.unit) return false;
    const scale = Math.max(1, Math.abs(a.value), Math.abs(b.value));
    return Math.abs(a.value - b.value) <= REL_TOL * scale;
  }
  if (a.kind === 'text' && b.kind === 'text') return a.value.replace(/\s+/g, '') === b.value.replace(/\s+/g, '');
  return a.value === b.value;
}
