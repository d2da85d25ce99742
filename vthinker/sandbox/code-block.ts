// The code a response asks to run, and which sandbox runs it (one module for both readers: extractCode for the
// policy's own rollouts, extractCodeBlock for real models' responses). Our policy writes the drawing language; real VLMs write
// Python, in the forms the paper's prompt and its evaluation code accept: a <code> block holding a ```python fence, a
// '''python quote, or bare code; or, with no <code> block, a '''python / ```python block anywhere in the text. The
// last block is the one to run (a round stops at </code>, so earlier blocks have run already).
import { OPERATIONS } from '../scene/drawlang.ts';

export type CodeLanguage = 'python' | 'draw';

export interface CodeBlock {
  code: string;
  lang: CodeLanguage;
}

const TAGGED = /<code>([\s\S]*?)<\/code>/gi;
const FENCED = /(```|''')[ \t]*([\w+-]*)[ \t]*\r?\n?([\s\S]*?)\1/g;
/** A fence opened but never closed (the model stopped at </code> before writing the closing ```). */
const OPEN_ONLY = /^\s*(```|''')[ \t]*([\w+-]*)[ \t]*\r?\n([\s\S]*)$/;
const PYTHON_TAGS = new Set(['python', 'python3', 'py']);
const DRAW_TAGS = new Set(['draw', 'drawing']);

/** The language of a bare body: drawing code when every line starts with a drawing operation, else Python. */
export function guessLanguage(code: string): CodeLanguage {
  const lines = code.split(/\r?\n/).map((l) => l.replace(/(#|\/\/).*$/, '').trim()).filter((l) => l !== '');
  const isDraw = (line: string) => line.split(';').every((s) => s.trim() === '' || Object.hasOwn(OPERATIONS, s.trim().split(/[\s(]/)[0]!.toLowerCase()));
  return lines.length > 0 && lines.every(isDraw) ? 'draw' : 'python';
}

/** The body of a fence or quote inside `text` (the last one), with its language; null when there is none. */
function lastFence(text: string, needTag: boolean): CodeBlock | null {
  let found: CodeBlock | null = null;
  const matches = [...text.matchAll(FENCED)];
  const open = needTag ? null : OPEN_ONLY.exec(text);
  if (matches.length === 0 && open) matches.push(open);
  for (const m of matches) {
    const tag = m[2]!.toLowerCase();
    if (needTag && !PYTHON_TAGS.has(tag)) continue;
    const code = m[3]!.trim();
    found = { code, lang: PYTHON_TAGS.has(tag) ? 'python' : DRAW_TAGS.has(tag) ? 'draw' : guessLanguage(code) };
  }
  return found;
}

// Our policy's form: the text between the last <code> and its </code> (a rollout stops generating at each </code>,
// so earlier blocks have already been run), a fence around it dropped. The drawing language never holds tags, so the
// last closing tag and the opening one before it delimit the block even when the text is not well nested.
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

/** The last runnable block of a response and its language; null when the response asks to run nothing. */
export function extractCodeBlock(responseText: string): CodeBlock | null {
  if (typeof responseText !== 'string') return null;
  const tagged = [...responseText.matchAll(TAGGED)].pop();
  if (tagged) {
    const body = tagged[1]!;
    const fenced = lastFence(body, false);
    if (fenced) return fenced;
    const code = body.trim();
    return { code, lang: guessLanguage(code) };
  }
  return lastFence(responseText, true);
}
