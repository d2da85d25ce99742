// Finding the drawing code in a model's response: the text between the last <code> and its </code>. The last block
// is the one to run because a rollout stops generating at each </code>, so earlier blocks have already been run.

const OPEN = '<code>';
const CLOSE = '</code>';
/** A fence line such as ``` or ```python or ```draw. */
const FENCE_OPEN = /^```[\w+-]*[ \t]*(\r?\n|$)/;
const FENCE_CLOSE = /(^|\r?\n)[ \t]*```[ \t]*$/;

/**
 * The code of the last complete <code>...</code> block (tags in any case), without a surrounding ``` fence (with or
 * without a language tag) and trimmed; null when the response has no complete block.
 */
export function extractCode(responseText: string): string | null {
  if (typeof responseText !== 'string') return null;
  const lower = responseText.toLowerCase();
  const close = lower.lastIndexOf(CLOSE);
  if (close < 0) return null;
  const open = lower.lastIndexOf(OPEN, close);
  if (open < 0) return null;
  let code = responseText.slice(open + OPEN.length, close).trim();
  code = code.replace(FENCE_OPEN, '').replace(FENCE_CLOSE, '').trim();
  return code;
}
