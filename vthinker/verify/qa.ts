// The Q&A axis: the question is in the grammar and its vocabulary, and the independent solver agrees with the answer.
import { outOfVocabulary } from '../knowledge/vocabulary.ts';
import type { Sample } from '../synth/types.ts';
import { solve } from './solver.ts';
import type { Problem } from './score.ts';

export interface QaResult {
  problems: Problem[];
  /** The solver's answer, when it could compute one (the repairer's input). */
  solved: string | null;
}

export function qaProblems(sample: Sample): QaResult {
  const problems: Problem[] = [];
  const texts = [sample.question, sample.answer, sample.instruction, sample.thought.before, sample.thought.after, ...sample.solution];
  const oov = [...new Set(texts.flatMap(outOfVocabulary))];
  if (oov.length) problems.push({ code: 'out-of-vocabulary', message: `words outside the vocabulary: ${oov.join(' ')}`, weight: 10 });
  let solved: string | null = null;
  try {
    solved = solve(sample.scene, sample.question);
  } catch (e) {
    problems.push({ code: 'unsolvable', message: (e as Error).message, weight: 10 });
  }
  if (solved !== null && solved !== sample.answer) problems.push({ code: 'wrong-answer', message: `the solver finds "${solved}", the sample says "${sample.answer}"`, weight: 10 });
  if (solved !== null && sample.solution[sample.solution.length - 1] !== `answer ${sample.answer}`) {
    problems.push({ code: 'solution-mismatch', message: 'the solution does not end with the answer', weight: 5 });
  }
  return { problems, solved };
}
