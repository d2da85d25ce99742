// LaTeX in answers, rewritten to the plain spelling models also use, so that answer.ts compares one spelling per
// idea ("2\sqrt{3}" and "2√3", "\frac{1}{2}" and "1/2"). Only what answers contain is read; anything else is
// kept as written.

/** The contents of a `{...}` group starting at `s[i]` (or the single character there), and the index after it. */
export function bracedGroup(s: string, i: number): { body: string; end: number } {
  while (s[i] === ' ') i++;
  if (s[i] !== '{') return { body: s[i] ?? '', end: i + 1 };
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    if (s[j] === '{') depth++;
    else if (s[j] === '}' && --depth === 0) return { body: s.slice(i + 1, j), end: j + 1 };
  }
  return { body: s.slice(i + 1), end: s.length };
}

const SYMBOLS: Record<string, string> = {
  pi: 'π', cdot: '*', times: '*', div: '/', circ: '°', degree: '°', infty: '∞', le: '≤', leq: '≤', ge: '≥', geq: '≥',
  neq: '≠', ne: '≠', angle: '∠', triangle: '△', perp: '⊥', parallel: '∥', cup: '∪', cap: '∩', in: '∈', pm: '±',
};
const DROPPED = new Set(['left', 'right', 'displaystyle', 'quad', 'qquad', ',', ';', '!', ' ', ':']);
const WRAPPERS = new Set(['text', 'mathrm', 'mathbf', 'mathit', 'textbf', 'operatorname', 'boxed']);

/**
 * LaTeX to the plain spelling models also use: \frac{a}{b} -> (a)/(b), \sqrt{x} and \sqrt x -> √(x), \sqrt[n]{x} ->
 * (x)^(1/(n)), ^{...} -> ^(...), \pi -> π, ^\circ -> °, \cdot and \times -> *, \text{...} -> its text, spacing
 * commands dropped. Unknown commands are kept as written.
 */
export function latexToPlain(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === '^' && s[i + 1] === '{') {
      const g = bracedGroup(s, i + 1);
      out += `^(${latexToPlain(g.body)})`;
      i = g.end;
      continue;
    }
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const name = /^[a-zA-Z]+/.exec(s.slice(i + 1))?.[0] ?? s[i + 1] ?? '';
    let next = i + 1 + name.length;
    if (name === 'frac' || name === 'dfrac' || name === 'tfrac') {
      const a = bracedGroup(s, next), b = bracedGroup(s, a.end);
      out += `(${latexToPlain(a.body)})/(${latexToPlain(b.body)})`;
      next = b.end;
    } else if (name === 'sqrt') {
      let index: string | null = null;
      if (s[next] === '[') {
        const close = s.indexOf(']', next);
        index = s.slice(next + 1, close < 0 ? s.length : close);
        next = close < 0 ? s.length : close + 1;
      }
      const g = bracedGroup(s, next);
      out += index === null ? `√(${latexToPlain(g.body)})` : `(${latexToPlain(g.body)})^(1/(${latexToPlain(index)}))`;
      next = g.end;
    } else if (WRAPPERS.has(name)) {
      const g = bracedGroup(s, next);
      out += latexToPlain(g.body);
      next = g.end;
    } else if (SYMBOLS[name] !== undefined) out += SYMBOLS[name];
    else if (name === '%' || name === '{' || name === '}' || name === '$') out += name;
    else if (!DROPPED.has(name)) out += `\\${name}`;
    i = next;
  }
  // One spelling per idea: ^° is °, √x is √(x), a unicode minus is a minus.
  return out
    .replace(/\^\s*\(?°\)?/g, '°')
    .replace(/√\s*([A-Za-z0-9.]+)/g, '√($1)')
    .replace(/[−–]/g, '-')
    .replace(/[×·]/g, '*')
    .replace(/÷/g, '/');
}
