// The policy's closed vocabulary and the map between trajectory text and token ids.
//
// Token scheme (ids are positions in this order, so a tokenizer is a pure function of its config):
//   specials  <pad> <bos> <eos> <unk>
//   tags      <think> </think> <code> </code> <sandbox_output> </sandbox_output> <image> <answer> </answer>
//   <error>   stands for a failed call's "Sandbox for ..." message inside <sandbox_output> (free text the closed
//             vocabulary cannot spell; it is masked from the loss anyway, only its presence matters)
//   ops       op:line op:ray op:point op:circle op:polygon op:crop, and op:sep between operations. Distinct from the
//             words "line", "ray", ... so the model always knows whether it is writing code or prose.
//   bins      c0 .. c{n-1}: one shared token per coordinate bin, used for x, y and radius alike (the operation's
//             arity says which is which). bin = floor(v / binSize) clamped to the canvas; it decodes to the bin
//             centre floor(bin * binSize + binSize / 2), clamped to the last pixel. Default 2 px -> 64 bins on 128 px.
//   words     the grammar vocabulary given to the constructor, then 0-20, yes, no and A-Z where missing.
// Inside <code> numbers become bins; outside, every whitespace-separated word must be a vocabulary word.
// Inside <answer>, a coordinate pair "(x, y)" becomes two bins (x then y), and an answer holding pairs is read as the
// paper's point dict {'P1': (x, y), ...}: its punctuation is dropped, so {'P1': (40, 22)} is  P1 c20 c11 . Decoding an
// answer span with bins gives the dict back at bin centres: {'P1': (41, 23)}. Answers without pairs are prose.
import { OPERATIONS, type OperationName } from '../scene/drawlang.ts';

export const SPECIAL_TOKENS = ['<pad>', '<bos>', '<eos>', '<unk>'] as const;
export const TAG_TOKENS = ['<think>', '</think>', '<code>', '</code>', '<sandbox_output>', '</sandbox_output>', '<image>', '<answer>', '</answer>'] as const;
export const ERROR_TOKEN = '<error>';
export const OP_NAMES = Object.keys(OPERATIONS) as OperationName[];
export const OP_SEPARATOR = 'op:sep';
export const opToken = (name: OperationName): string => `op:${name}`;
export const binToken = (bin: number): string => `c${bin}`;

/** Words every policy vocabulary has, whatever grammar it is built for. */
export const BASE_WORDS: readonly string[] = [
  'yes', 'no', 'done', ...Array.from({ length: 21 }, (_, i) => String(i)), ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''),
];

export interface TokenizerConfig {
  /** The grammar's vocabulary (e.g. knowledge's `vocabulary()`); order matters for ids. */
  words: readonly string[];
  /** Pixels per coordinate bin (default 2). */
  binSize?: number;
  /** The canvas the code's coordinates refer to (default 128 x 128). */
  canvas?: { width: number; height: number };
  /** Throw on an unknown word instead of encoding <unk> (default false; overridable per call). */
  strict?: boolean;
}

/** The saved form: the config plus the token list, checked on load so a model never meets shifted ids. */
export interface TokenizerJSON {
  format: 'vthinker-tokenizer/1';
  words: string[];
  binSize: number;
  canvas: { width: number; height: number };
  tokens: string[];
}

export interface EncodeResult {
  ids: number[];
  /** Words (or code pieces) that became <unk>, in order of appearance. */
  unknown: string[];
}

/** Ids of the structural tokens, for code that builds or inspects sequences. */
export interface StructuralIds {
  pad: number; bos: number; eos: number; unk: number;
  think: number; thinkEnd: number; code: number; codeEnd: number;
  sandbox: number; sandboxEnd: number; image: number; answer: number; answerEnd: number;
  error: number; sep: number;
}

const TAG_RE = /<\/?(?:think|code|sandbox_output|answer)>|<image>|<error>|<pad>|<bos>|<eos>|<unk>/g;
const INTEGER = /^[+-]?\d+$/;
const FENCE = /^```[\w+-]*$/;
const PAIR = /\(\s*([+-]?\d+(?:\.\d+)?)\s*,\s*([+-]?\d+(?:\.\d+)?)\s*\)/g;
/** The placeholder a pair becomes while an answer is split into words (never a vocabulary word: no whitespace, \u0001). */
const HAS_PAIR = new RegExp(PAIR.source);
const PAIR_MARK = '\u0001pair';

export class Tokenizer {
  readonly tokens: readonly string[];
  readonly words: readonly string[];
  readonly binSize: number;
  readonly bins: number;
  readonly canvas: { readonly width: number; readonly height: number };
  readonly strict: boolean;
  readonly ids: StructuralIds;
  private readonly index = new Map<string, number>();
  private readonly opIds = new Map<string, number>();
  private readonly binBase: number;

  constructor(config: TokenizerConfig) {
    this.binSize = config.binSize ?? 2;
    this.canvas = { ...(config.canvas ?? { width: 128, height: 128 }) };
    this.strict = config.strict ?? false;
    if (!(Number.isInteger(this.binSize) && this.binSize >= 1)) throw new Error(`Tokenizer: binSize must be a positive integer, got ${this.binSize}`);
    const side = Math.max(this.canvas.width, this.canvas.height);
    if (!(Number.isInteger(side) && side >= 1)) throw new Error(`Tokenizer: canvas must have positive integer size, got ${this.canvas.width}x${this.canvas.height}`);
    this.bins = Math.ceil(side / this.binSize);

    const reserved = [...SPECIAL_TOKENS, ...TAG_TOKENS, ERROR_TOKEN, ...OP_NAMES.map(opToken), OP_SEPARATOR];
    this.binBase = reserved.length;
    const bins = Array.from({ length: this.bins }, (_, i) => binToken(i));
    const taken = new Set([...reserved, ...bins]);
    const words: string[] = [];
    for (const w of [...config.words, ...BASE_WORDS]) {
      if (w === '' || /\s/.test(w)) throw new Error(`Tokenizer: vocabulary word ${JSON.stringify(w)} is empty or contains whitespace`);
      if (taken.has(w)) {
        if (reserved.includes(w) || bins.includes(w)) throw new Error(`Tokenizer: vocabulary word "${w}" collides with a reserved token`);
        continue; // a duplicate word
      }
      taken.add(w);
      words.push(w);
    }
    this.words = words;
    this.tokens = [...reserved, ...bins, ...words];
    this.tokens.forEach((t, i) => this.index.set(t, i));
    for (const name of OP_NAMES) this.opIds.set(name, this.index.get(opToken(name))!);
    const id = (t: string) => this.index.get(t)!;
    this.ids = {
      pad: id('<pad>'), bos: id('<bos>'), eos: id('<eos>'), unk: id('<unk>'),
      think: id('<think>'), thinkEnd: id('</think>'), code: id('<code>'), codeEnd: id('</code>'),
      sandbox: id('<sandbox_output>'), sandboxEnd: id('</sandbox_output>'), image: id('<image>'),
      answer: id('<answer>'), answerEnd: id('</answer>'), error: id(ERROR_TOKEN), sep: id(OP_SEPARATOR),
    };
  }

  get size(): number {
    return this.tokens.length;
  }

  /** The id of a token string; throws when it is not in the vocabulary. */
  id(token: string): number {
    const i = this.index.get(token);
    if (i === undefined) throw new Error(`Tokenizer: no token "${token}"`);
    return i;
  }

  has(token: string): boolean {
    return this.index.has(token);
  }

  /** The token string of an id; throws on an id outside the vocabulary. */
  token(id: number): string {
    const t = this.tokens[id];
    if (t === undefined) throw new Error(`Tokenizer: id ${id} is outside the vocabulary of ${this.size}`);
    return t;
  }

  /** The bin of a pixel coordinate (clamped to the canvas). */
  quantise(v: number): number {
    return Math.min(this.bins - 1, Math.max(0, Math.floor(v / this.binSize)));
  }

  /** The integer pixel at a bin's centre (clamped to the last pixel). */
  dequantise(bin: number): number {
    const side = Math.max(this.canvas.width, this.canvas.height);
    return Math.min(side - 1, Math.floor(bin * this.binSize + this.binSize / 2));
  }

  /** Whether an id is a coordinate bin; its bin number is then id - binBase. */
  isBin(id: number): boolean {
    return id >= this.binBase && id < this.binBase + this.bins;
  }

  /** The id of a coordinate bin (clamped to the valid bins). */
  binId(bin: number): number {
    return this.binBase + Math.min(this.bins - 1, Math.max(0, Math.trunc(bin)));
  }

  /** Token ids of a text; unknown words become <unk> (or throw in strict mode). */
  encode(text: string, options: { strict?: boolean } = {}): number[] {
    return this.encodeWithStats(text, options).ids;
  }

  encodeWithStats(text: string, options: { strict?: boolean } = {}): EncodeResult {
    const strict = options.strict ?? this.strict;
    const ids: number[] = [];
    const unknown: string[] = [];
    const unk = (piece: string, why: string) => {
      if (strict) throw new Error(`Tokenizer: ${why} "${piece.length > 40 ? `${piece.slice(0, 40)}...` : piece}" (strict mode)`);
      unknown.push(piece);
      ids.push(this.ids.unk);
    };
    let state: 'text' | 'code' | 'sandbox' | 'answer' = 'text';
    let sandboxText = '';
    const chunk = (s: string) => {
      if (state === 'code') this.encodeCode(s, ids, unk);
      else if (state === 'sandbox') sandboxText += s;
      else if (state === 'answer' && HAS_PAIR.test(s)) this.encodePoints(s, ids, prose);
      else prose(s);
    };
    const prose = (s: string) => {
      for (const w of s.split(/\s+/)) {
        if (w === '') continue;
        const i = this.index.get(w);
        // Only vocabulary words are allowed in prose; ops and bins spelled out by hand are not words.
        if (i === undefined || i < this.binBase + this.bins) unk(w, 'unknown word');
        else ids.push(i);
      }
    };
    let last = 0;
    for (const m of text.matchAll(TAG_RE)) {
      chunk(text.slice(last, m.index!));
      last = m.index! + m[0].length;
      const tag = m[0];
      if (state === 'sandbox' && tag === '</sandbox_output>') {
        if (sandboxText.trim() !== '') ids.push(this.ids.error);
        sandboxText = '';
      }
      ids.push(this.index.get(tag)!);
      if (tag === '<code>') state = 'code';
      else if (tag === '</code>') state = 'text';
      else if (tag === '<sandbox_output>') state = 'sandbox';
      else if (tag === '</sandbox_output>') state = 'text';
      else if (tag === '<answer>' && state === 'text') state = 'answer';
      else if (tag === '</answer>' && state === 'answer') state = 'text';
    }
    chunk(text.slice(last));
    if (state === 'sandbox' && sandboxText.trim() !== '') ids.push(this.ids.error);
    return { ids, unknown };
  }

  /** An answer with coordinate pairs -> words (dict punctuation dropped) and two bins per pair. */
  private encodePoints(text: string, ids: number[], prose: (s: string) => void): void {
    const pairs: number[][] = [];
    const marked = text.replace(PAIR, (_, x: string, y: string) => {
      pairs.push([Math.round(Number(x)), Math.round(Number(y))]);
      return ` ${PAIR_MARK} `;
    });
    let k = 0;
    for (const w of marked.replace(/[{}'":,]/g, ' ').split(/\s+/)) {
      if (w === '') continue;
      if (w === PAIR_MARK) {
        const [x, y] = pairs[k++]!;
        ids.push(this.binBase + this.quantise(x!), this.binBase + this.quantise(y!));
      } else prose(w);
    }
  }

  /** Code text -> op, bin and separator tokens (layout as tolerant as the drawing language's parser). */
  private encodeCode(code: string, ids: number[], unk: (piece: string, why: string) => void): void {
    let first = true;
    for (const line of code.split(/\r\n|\r|\n/)) {
      const bare = line.replace(/(#|\/\/).*$/, '').trim();
      if (bare === '' || FENCE.test(bare)) continue;
      for (const statement of bare.split(';')) {
        const parts = statement.replace(/[(),[\]]/g, ' ').trim().split(/\s+/).filter((p) => p !== '');
        if (parts.length === 0) continue;
        if (!first) ids.push(this.ids.sep);
        first = false;
        const op = this.opIds.get(parts[0]!.toLowerCase());
        if (op === undefined) unk(parts[0]!, 'unknown drawing operation');
        else ids.push(op);
        for (const p of parts.slice(1)) {
          if (INTEGER.test(p)) ids.push(this.binBase + this.quantise(Number(p)));
          else unk(p, 'not an integer coordinate in <code>:');
        }
      }
    }
  }

  /** Text of token ids: prose words joined by spaces, code as one operation per line at bin-centre pixels. */
  decode(ids: readonly number[]): string {
    const parts: string[] = [];
    let code: string[][] | null = null;
    // An answer span is collected and written as a point dict when it holds bins.
    let answer: number[] | null = null;
    const flushAnswer = () => {
      if (answer) parts.push(this.decodeAnswer(answer));
      answer = null;
    };
    const flush = () => {
      if (code) {
        const text = code.filter((s) => s.length > 0).map((s) => s.join(' ')).join('\n');
        if (text !== '') parts.push(text);
      }
      code = null;
    };
    for (const id of ids) {
      const t = this.token(id);
      if (id === this.ids.pad || id === this.ids.bos || id === this.ids.eos) continue;
      if (answer !== null) {
        if (t.startsWith('<') && id !== this.ids.unk) flushAnswer();
        else { answer.push(id); continue; }
      }
      if (code !== null) {
        const statements: string[][] = code;
        if (id === this.ids.sep) { statements.push([]); continue; }
        if (this.isBin(id)) { statements[statements.length - 1]!.push(String(this.dequantise(id - this.binBase))); continue; }
        if (t.startsWith('op:')) { statements[statements.length - 1]!.push(t.slice(3)); continue; }
        if (id === this.ids.unk) { statements[statements.length - 1]!.push(t); continue; }
        flush();
      }
      if (this.isBin(id)) parts.push(String(this.dequantise(id - this.binBase)));
      else if (id === this.ids.sep) parts.push(';');
      else parts.push(t.startsWith('op:') ? t.slice(3) : t);
      if (id === this.ids.code) code = [[]];
      if (id === this.ids.answer) answer = [];
    }
    flush();
    flushAnswer();
    return parts.join(' ');
  }

  /**
   * The text of an answer span's ids: with bins, the point dict {'K': (x, y), ...} (a name followed by two bins; a
   * pair without a name is keyed by its position, P1, P2, ...; a lone bin is dropped); without bins, the words.
   */
  decodeAnswer(ids: readonly number[]): string {
    if (!ids.some((id) => this.isBin(id))) return ids.map((id) => this.token(id)).join(' ');
    const entries: string[] = [];
    let name: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (this.isBin(id)) {
        const next = ids[i + 1];
        if (next !== undefined && this.isBin(next)) {
          const key = name.length ? name.join(' ') : `P${entries.length + 1}`;
          entries.push(`'${key}': (${this.dequantise(id - this.binBase)}, ${this.dequantise(next - this.binBase)})`);
          i++;
        }
        name = [];
      } else name.push(this.token(id));
    }
    return `{${entries.join(', ')}}`;
  }

  toJSON(): TokenizerJSON {
    return { format: 'vthinker-tokenizer/1', words: [...this.words], binSize: this.binSize, canvas: { ...this.canvas }, tokens: [...this.tokens] };
  }

  static fromJSON(json: TokenizerJSON): Tokenizer {
    if (json?.format !== 'vthinker-tokenizer/1') throw new Error(`Tokenizer.fromJSON: unknown format ${JSON.stringify(json?.format)}`);
    const tok = new Tokenizer({ words: json.words, binSize: json.binSize, canvas: json.canvas });
    const same = tok.tokens.length === json.tokens.length && tok.tokens.every((t, i) => t === json.tokens[i]);
    if (!same) throw new Error('Tokenizer.fromJSON: the saved token list differs from the one its config builds (ids would shift)');
    return tok;
  }
}
