// The rule-based consistency check of the reward: does the reasoning's conclusion (the think text after the last
// sandbox output) agree with the final answer? The paper judges this with a model; here it is a rule.
//
// With a reference conclusion (what the data says the edited image shows for the gold answer, e.g. a sample's
// thought.after): the conclusion must END with the reference, token for token. The reward only asks when the answer
// is correct, so the reference is exactly the conclusion that answer implies (families describe the image as a
// function of the answer alone).
// Without one, a generic rule on the conclusion's words:
//   yes/no  at least one word of the answer's polarity and none of the other (yes: yes crosses inside same through;
//           no: no misses outside other off). Families whose conclusion is only "above"/"below" need a reference.
//   label   the label appears as a word;  number  some word equals it (answersEqual);  text  it appears as a phrase.
// An empty conclusion is never consistent.
import { answersEqual, parseAnswer } from './answer.ts';

const POSITIVE = new Set(['yes', 'crosses', 'inside', 'same', 'through']);
const NEGATIVE = new Set(['no', 'misses', 'outside', 'other', 'off']);

const words = (s: string): string[] => s.split(/\s+/).filter((w) => w !== '');

export function isConsistent(conclusion: string, answer: string, reference?: string): boolean {
  const said = words(conclusion);
  if (said.length === 0) return false;
  if (reference !== undefined && words(reference).length > 0) {
    const ref = words(reference);
    if (ref.length > said.length) return false;
    const tail = said.slice(said.length - ref.length);
    return tail.every((w, i) => w === ref[i]);
  }
  const value = parseAnswer(answer);
  switch (value.kind) {
    case 'bool': {
      const [agree, disagree] = value.value ? [POSITIVE, NEGATIVE] : [NEGATIVE, POSITIVE];
      return said.some((w) => agree.has(w.toLowerCase())) && !said.some((w) => disagree.has(w.toLowerCase()));
    }
    case 'label':
      return said.includes(value.value);
    case 'number':
      return said.some((w) => /\d/.test(w) && answersEqual(w, answer));
    case 'text':
      return value.value !== '' && ` ${said.join(' ').toLowerCase()} `.includes(` ${value.value} `);
  }
}
