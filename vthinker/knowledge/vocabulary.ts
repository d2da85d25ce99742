// The closed vocabulary, derived from the grammar's templates and the tools' instruction and thought templates so it
// can never drift from what creators write. The tokenizer is built from `vocabulary()`.
import { COLOR_NAMES } from '../scene/palette.ts';
import { DEFINITION_TEMPLATES, EXTRA_WORDS, LABELS, NUMBERS, QUESTION_TEMPLATES, isLabel } from './grammar.ts';
import { TOOLS } from './tools.ts';

/** The keys of point-dict answers ({'P1': (x, y), 'P2': ...}) of the perception data (at most 4 targets). */
export const POINT_KEYS: readonly string[] = ['P1', 'P2', 'P3', 'P4'];

export function vocabulary(): string[] {
  const words = new Set<string>([';', '?', ...EXTRA_WORDS, ...COLOR_NAMES, ...POINT_KEYS]);
  const templates = [
    ...Object.values(QUESTION_TEMPLATES), ...Object.values(DEFINITION_TEMPLATES),
    ...Object.values(TOOLS).flatMap((t) => [t.instruction, t.thought]),
  ];
  for (const t of templates) for (const w of t.split(' ')) if (!w.startsWith('$')) words.add(w);
  const fixed = [...words].filter((w) => !isLabel(w) && !NUMBERS.includes(w)).sort();
  return [...fixed, ...LABELS, ...NUMBERS];
}

/** Tokens of a text that are not in the vocabulary (empty when the text is in the grammar's language). */
export function outOfVocabulary(text: string): string[] {
  const vocab = new Set(vocabulary());
  return text.split(/\s+/).filter((t) => t !== '' && !vocab.has(t));
}
