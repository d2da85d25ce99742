// Answer equivalence, shared by the accuracy reward and the benchmark's IR judge: a predicted answer equals the gold
// one when they say the same yes/no, the same point label, or the same number (integers, decimals, simple fractions,
// optionally with a unit). Free text falls back to a case- and space-insensitive comparison.

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
const NUMBER = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)`;
const NUMBER_WITH_UNIT = new RegExp(`^(${NUMBER})(?:\\s*/\\s*(${NUMBER}))?\\s*([a-z°%]*\\^?\\d?)$`, 'i');

/** Removes wrappers models put around answers: \boxed{...}, $...$, quotes, a trailing full stop. */
function unwrap(text: string): string {
  let s = text.trim();
  for (let guard = 0; guard < 4; guard++) {
    const before = s;
    const boxed = /^\\boxed\{([\s\S]*)\}$/.exec(s);
    if (boxed) s = boxed[1]!.trim();
    s = s.replace(/^\$+|\$+$/g, '').replace(/^["'`]+|["'`]+$/g, '').replace(/[.。]$/, '').trim();
    if (s === before) break;
  }
  // \frac{a}{b} and \dfrac{a}{b} become a/b so the number reader sees a plain fraction.
  return s.replace(/\\d?frac\{([^{}]*)\}\{([^{}]*)\}/g, '$1/$2');
}

/** Parses an answer into a comparable value. */
export function parseAnswer(text: string): AnswerValue {
  const s = unwrap(text);
  const lower = s.toLowerCase();
  if (YES.has(lower)) return { kind: 'bool', value: true };
  if (NO.has(lower)) return { kind: 'bool', value: false };
  // Single letters are point labels; labels are upper case in every figure, so the case a model writes is ignored.
  if (/^[a-z]$/i.test(s)) return { kind: 'label', value: s.toUpperCase() };
  const m = NUMBER_WITH_UNIT.exec(s.replace(/,(?=\d{3}\b)/g, ''));
  if (m) {
    const numerator = Number(m[1]);
    const denominator = m[2] === undefined ? 1 : Number(m[2]);
    if (Number.isFinite(numerator) && Number.isFinite(denominator) && denominator !== 0) {
      const rawUnit = m[3]!.toLowerCase();
      return { kind: 'number', value: numerator / denominator, unit: UNIT_ALIASES[rawUnit] ?? rawUnit };
    }
  }
  return { kind: 'text', value: lower.replace(/\s+/g, ' ') };
}

/** Relative tolerance for numbers: decimals written to a few places still match their fraction. */
const REL_TOL = 1e-4;

/**
 * Whether a predicted answer equals the gold one. Numbers compare with a relative tolerance of 1e-4 (so "0.3333"
 * matches "1/3"); a unit on only one side is ignored ("5 cm" = "5"), different units never match ("5 cm" != "5 m").
 */
export function answersEqual(pred: string, gold: string): boolean {
  const a = parseAnswer(pred);
  const b = parseAnswer(gold);
  if (a.kind === 'text' && a.value === '') return false;
  if (a.kind !== b.kind) return false;
  if (a.kind === 'number' && b.kind === 'number') {
    if (a.unit !== '' && b.unit !== '' && a.unit !== b.unit) return false;
    const scale = Math.max(1, Math.abs(a.value), Math.abs(b.value));
    return Math.abs(a.value - b.value) <= REL_TOL * scale;
  }
  return a.value === b.value;
}
