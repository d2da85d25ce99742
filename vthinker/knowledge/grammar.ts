// The closed question grammar shared by creators (which format questions) and the independent solver (which parses
// them back). Every question, instruction, thought and solution line is a sequence of space-separated tokens from
// `vocabulary()`, so a tiny decoder with a closed vocabulary can read and write all of them. See GRAMMAR.md.
import { COLOR_NAMES } from '../scene/palette.ts';

/** The question templates, one per family (the key is the template id the solver dispatches on). */
export const QUESTION_TEMPLATES = {
  'ray-cross': 'does ray $L $L cross segment $L $L ?',
  'ray-count': 'how many segments does ray $L $L cross ?',
  'nearest-line': 'which of $LS is nearest to line $L $L ?',
  'foot-inside': 'is the foot from $L to line $L $L inside segment $L $L ?',
  'midpoint-nearest': 'which of $LS is nearest to the midpoint of $L $L ?',
  'in-circle': 'is $L inside the circle with centre $L through $L ?',
  'parallel-cross': 'does the line through $L parallel to $L $L cross segment $L $L ?',
  'bisector-side': 'is $L on the same side as $L of the bisector of angle $L $L $L ?',
  'closer-endpoint': 'is $L closer to $L or to $L ?',
  'median-cross': 'does the median from $L of triangle $L $L $L cross segment $L $L ?',
  'same-side': 'are $L and $L on the same side of line $L $L ?',
  'collinear': 'is $L on line $L $L ?',
  'curve-compare': 'at x $N is the $C curve above the $C curve ?',
  'curve-value': 'what is the value of the $C curve at x $N ?',
  'curve-crossings': 'how many times does the $C curve cross y $N ?',
  'bars-above': 'how many bars are above $N ?',
  'bar-compare': 'is bar $L taller than bar $L ?',
  'dots-in-polygon': 'how many dots are inside polygon $LS ?',
  'dots-in-circle': 'how many dots are inside the circle with centre $L through $L ?',
  'box-count': 'how many dots are inside the grey box ?',
} as const;

export type TemplateId = keyof typeof QUESTION_TEMPLATES;
export const TEMPLATE_IDS = Object.keys(QUESTION_TEMPLATES) as TemplateId[];

/** Definitions prefix a question ("let X be ... ;") and name a constructed point; difficulty expansion adds them. */
export const DEFINITION_TEMPLATES = {
  midpoint: 'let $L be the midpoint of $L $L',
  foot: 'let $L be the foot from $L to line $L $L',
} as const;

export type DefinitionKind = keyof typeof DEFINITION_TEMPLATES;

export interface Definition {
  kind: DefinitionKind;
  /** The new label first, then the inputs, in template order. */
  slots: string[];
}

export interface ParsedQuestion {
  definitions: Definition[];
  template: TemplateId;
  slots: string[];
}

export const LABELS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
/** Integers the grammar can say: counts, axis values, chart thresholds. */
export const MAX_NUMBER = 20;
export const NUMBERS = Array.from({ length: MAX_NUMBER + 1 }, (_, i) => String(i));

/** Words of thoughts, solution lines and instructions beyond the templates' own words (kept short and closed). */
export const EXTRA_WORDS = [
  'yes', 'no', 'draw', 'mark', 'shade', 'zoom', 'extend', 'connect', 'ray', 'line', 'segment', 'point', 'circle',
  'perpendicular', 'parallel', 'bisector', 'midpoint', 'median', 'foot', 'vertical', 'horizontal', 'crosses',
  'misses', 'nearest', 'inside', 'outside', 'on', 'off', 'same', 'side', 'other', 'above', 'below', 'count', 'is',
  'answer', 'distance', 'shortest', 'value', 'equal', 'bars', 'bar', 'dots', 'dot', 'box', 'times', 'polygon',
  'triangle', 'centre', 'through', 'at', 'x', 'y', 'from', 'to', 'of', 'the', 'and', 'or', 'crossing', 'read',
  'taller', 'shorter', 'closer', 'left', 'right', 'top', 'bottom', 'vertex', 'centroid', 'incenter', 'locate',
  'lowest', 'highest', 'meets', 'shaded', 'leftmost', 'rightmost', 'corner', 'first', 'find', 'then', 'let', 'be', 'curve', 'grey', 'in', 'reference', 'crop', 'region', 'axis',
];

function slotKinds(template: string): string[] {
  return template.split(' ').filter((t) => t.startsWith('$'));
}

/** Fill a template's slots in order; $LS takes a space-joined list of labels. */
export function fill(template: string, slots: readonly string[]): string {
  const kinds = slotKinds(template);
  if (kinds.length !== slots.length) {
    throw new Error(`grammar: template "${template}" has ${kinds.length} slots but ${slots.length} values were given`);
  }
  let i = 0;
  return template
    .split(' ')
    .map((t) => (t.startsWith('$') ? slots[i++]! : t))
    .join(' ');
}

export function formatQuestion(template: TemplateId, slots: readonly string[], definitions: readonly Definition[] = []): string {
  const prefix = definitions.map((d) => `${fill(DEFINITION_TEMPLATES[d.kind], d.slots)} ;`);
  return [...prefix, fill(QUESTION_TEMPLATES[template], slots)].join(' ');
}

export const isLabel = (t: string | undefined): boolean => t !== undefined && /^[A-Z]$/.test(t);

/** Match `tokens` against a template; returns the slot values or null. */
export function matchTemplate(template: string, tokens: readonly string[]): string[] | null {
  const pattern = template.split(' ');
  const slots: string[] = [];
  let k = 0;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const t = tokens[k];
    if (p === '$L') {
      if (!isLabel(t)) return null;
      slots.push(t!), k++;
    } else if (p === '$N') {
      if (t === undefined || !NUMBERS.includes(t)) return null;
      slots.push(t), k++;
    } else if (p === '$C') {
      if (t === undefined || !(COLOR_NAMES as readonly string[]).includes(t)) return null;
      slots.push(t), k++;
    } else if (p === '$LS') {
      const list: string[] = [];
      while (isLabel(tokens[k])) list.push(tokens[k++]!);
      if (list.length < 3 || list.length > 6) return null;
      slots.push(list.join(' '));
    } else {
      if (t !== p) return null;
      k++;
    }
  }
  return k === tokens.length ? slots : null;
}

/** Parse question text back into definitions, a template id and slot values; throws a clear error when it fits none. */
export function parseQuestion(text: string): ParsedQuestion {
  if (typeof text !== 'string' || text.trim() === '') throw new Error('grammar: expected a non-empty question string');
  const parts = text.trim().split(/\s*;\s*/);
  const body = parts.pop()!;
  const definitions = parts.map((part): Definition => {
    for (const [kind, template] of Object.entries(DEFINITION_TEMPLATES) as Array<[DefinitionKind, string]>) {
      const slots = matchTemplate(template, part.split(/\s+/));
      if (slots) return { kind, slots };
    }
    throw new Error(`grammar: "${part}" is not a definition (expected e.g. "let M be the midpoint of A B")`);
  });
  const tokens = body.split(/\s+/);
  for (const template of TEMPLATE_IDS) {
    const slots = matchTemplate(QUESTION_TEMPLATES[template], tokens);
    if (slots) return { definitions, template, slots };
  }
  throw new Error(`grammar: "${body}" matches no question template (see vthinker/knowledge/GRAMMAR.md)`);
}

/** Split a $LS slot value into its labels. */
export const labelsOf = (slot: string): string[] => slot.split(' ');

