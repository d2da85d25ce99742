// The closed vocabulary, derived from the grammar's templates and the tools' instruction and thought templates so it
// can never drift from what creators write. The tokenizer is built from `vocabulary()`.
import { COLOR_NAMES } from '../scene/palette.ts';
import { DEFINITION_TEMPLATES, EXTRA_WORDS, LABELS, NUMBERS, QUESTION_TEMPLATES, isLabel } from './grammar.ts';
import { TOOLS } from './tools.ts';

export function vocabulary(): string[] {
  const words = new Set<string>([';', '?', ...EXTRA_WORDS, ...COLOR_NAMES]);
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
