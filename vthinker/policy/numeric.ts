// Numeric expressions as answers write them (3, 1/2, 2√3, 3π, 2^(1/3)), read to a number so that answer.ts can
// compare values rather than spellings. A small recursive-descent reader: anything it does not know (a variable, a
// word) makes the whole text not a number, to be compared as text.

type Token = { t: 'num'; v: number } | { t: 'op'; v: string };

function tokenize(s: string): Token[] | null {
  const tokens: Token[] = [];
  for (let i = 0; i < s.length; ) {
    const rest = s.slice(i);
    const ws = /^\s+/.exec(rest);
    if (ws) {
      i += ws[0].length;
      continue;
    }
    const num = /^(?:\d+(?:\.\d*)?|\.\d+)/.exec(rest);
    if (num) {
      tokens.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const word = /^(?:sqrt|pi|π|√)/i.exec(rest);
    if (word) {
      const w = word[0].toLowerCase();
      tokens.push(w === 'pi' || w === 'π' ? { t: 'num', v: Math.PI } : { t: 'op', v: '√' });
      i += word[0].length;
      continue;
    }
    if ('+-*/^()'.includes(rest[0]!)) {
      tokens.push({ t: 'op', v: rest[0]! });
      i++;
      continue;
    }
    return null;
  }
  return tokens;
}

/**
 * Evaluates + - * / ^, parentheses, √ / sqrt, π / pi and implicit products (2√3, 3π, 2(1+1)); null when the text
 * is anything else (a variable, a word): such answers are compared as text.
 */
export function evaluateNumber(s: string): number | null {
  const tokens = tokenize(s);
  if (!tokens || tokens.length === 0) return null;
  let i = 0;
  const peek = () => tokens[i];
  const isOp = (v: string) => peek()?.t === 'op' && peek()!.v === v;
  // Implicit multiplication: a factor may directly follow another one when it starts with a number, √ or (.
  const startsFactor = () => peek()?.t === 'num' || isOp('√') || isOp('(');
  const sum = (): number | null => {
    let v = product();
    while (v !== null && (isOp('+') || isOp('-'))) {
      const op = tokens[i++]!.v;
      const r = product();
      if (r === null) return null;
      v = op === '+' ? v + r : v - r;
    }
    return v;
  };
  const product = (): number | null => {
    let v = unary();
    while (v !== null && (isOp('*') || isOp('/') || startsFactor())) {
      const op = isOp('*') || isOp('/') ? tokens[i++]!.v : '*';
      const r = unary();
      if (r === null) return null;
      v = op === '*' ? v * r : v / r;
    }
    return v;
  };
  const unary = (): number | null => {
    if (isOp('-') || isOp('+')) {
      const neg = tokens[i++]!.v === '-';
      const v = unary();
      return v === null ? null : neg ? -v : v;
    }
    return power();
  };
  const power = (): number | null => {
    const base = atom();
    if (base === null || !isOp('^')) return base;
    i++;
    const exp = unary();
    return exp === null ? null : base ** exp;
  };
  const atom = (): number | null => {
    const tok = tokens[i++];
    if (!tok) return null;
    if (tok.t === 'num') return tok.v;
    if (tok.v === '√') {
      const v = power();
      return v === null ? null : Math.sqrt(v);
    }
    if (tok.v === '(') {
      const v = sum();
      if (v === null || !isOp(')')) return null;
      i++;
      return v;
    }
    return null;
  };
  const v = sum();
  return v !== null && i === tokens.length && Number.isFinite(v) ? v : null;
}
