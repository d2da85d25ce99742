// The multi-turn rollout, independent of the model: the model is a `generate` function over token ids.
//
// A generation round is the model writing until it closes a code block or ends: first prose (mode 'text', stopping
// at <code>, </answer> or <eos>), then, if it opened <code>, the code (mode 'code', stopping at </code> or <eos>);
// the two modes let a model sample prose at temperature 1 and decode code greedily, as the paper does. A closed code
// block is run in the sandbox and the environment appends <sandbox_output> <image> </sandbox_output> (the new view
// joins the image list) or, on failure, <sandbox_output> <error> </sandbox_output> (the message is kept in `calls`
// and spelled out in `text`, so the tool reward sees the "Sandbox for" prefix). Then the next round starts.
// It ends at </answer> (an <eos> is appended, as after every SFT answer), at <eos>, when a round's output has no stop
// token (the length cap), or after maxRounds rounds (code closed in the last round is not run: nothing would read
// its output). The sandbox's own call limit applies on top (an over-limit call fails with its message).
import type { RasterImage } from '../scene/render.ts';
import { extractCode, type Sandbox } from '../sandbox/index.ts';
import type { Tokenizer } from './tokenizer.ts';

export interface GenerateRequest {
  /** Everything so far: prompt, the model's tokens and the environment's. */
  prefix: readonly number[];
  /** The episode's images: index 0 is the original, k the view after the k-th successful call. */
  images: readonly RasterImage[];
  /** Stop after emitting one of these ids (it is included in the returned ids). */
  stopAt: readonly number[];
  mode: 'text' | 'code';
  /** At most this many new ids. */
  maxNewTokens: number;
}

/** The model: the ids it writes after the prefix. */
export type GenerateFn = (request: GenerateRequest) => readonly number[] | Promise<readonly number[]>;

export interface RolloutOptions {
  tokenizer: Tokenizer;
  generate: GenerateFn;
  /** A fresh sandbox for this episode, created on `image`. */
  sandbox: Sandbox;
  /** The prompt ids (e.g. <bos> <image> question). */
  prompt: readonly number[];
  /** The original image (image 0). */
  image: RasterImage;
  /** Generation rounds (paper: 4 in RL, 5 for the benchmark's IR). Default 4. */
  maxRounds?: number;
  /** Cap on the whole sequence's length. Default 512. */
  maxLength?: number;
}

export interface ToolCall {
  code: string;
  ok: boolean;
  /** The "Sandbox for ..." message of a failed call. */
  message?: string;
  /** Index of the image the call produced (successful calls only). */
  imageIndex?: number;
}

export type RolloutStop = 'answer' | 'eos' | 'max-rounds' | 'max-length';

export interface Rollout {
  /** Prompt then response. */
  ids: number[];
  promptLength: number;
  /** 1 where the model wrote the token (plus the <eos> appended after </answer>), 0 for prompt and environment. */
  generated: number[];
  images: RasterImage[];
  calls: ToolCall[];
  /** The response as text, failed calls' outputs spelled as their messages. */
  text: string;
  rounds: number;
  stop: RolloutStop;
}

export async function rollout(options: RolloutOptions): Promise<Rollout> {
  const { tokenizer: tok, generate, sandbox } = options;
  const maxRounds = options.maxRounds ?? 4;
  const maxLength = options.maxLength ?? 512;
  const ids = [...options.prompt];
  const generated = ids.map(() => 0);
  const images: RasterImage[] = [options.image];
  const calls: ToolCall[] = [];
  const errorPositions: number[] = [];
  const S = tok.ids;

  const push = (more: readonly number[], byModel: 0 | 1) => {
    for (const id of more) {
      ids.push(id);
      generated.push(byModel);
    }
  };
  /** One generation call; returns the stop token it ended on, or null when it ended without one. */
  const step = async (mode: 'text' | 'code', stopAt: number[]): Promise<number | null> => {
    const room = maxLength - ids.length;
    if (room <= 0) return null;
    const out = (await generate({ prefix: ids, images, stopAt, mode, maxNewTokens: room })).slice(0, room);
    // Anything after the first stop token is the model's overshoot and is dropped.
    const cut = out.findIndex((id) => stopAt.includes(id));
    const kept = cut < 0 ? out : out.slice(0, cut + 1);
    push(kept, 1);
    return cut < 0 ? null : kept[kept.length - 1]!;
  };

  let rounds = 0;
  let stop: RolloutStop = 'max-rounds';
  while (rounds < maxRounds) {
    rounds++;
    let end = await step('text', [S.code, S.answerEnd, S.eos]);
    if (end === S.code) end = await step('code', [S.codeEnd, S.eos]);
    if (end === null) { stop = 'max-length'; break; }
    if (end === S.eos) { stop = 'eos'; break; }
    if (end === S.answerEnd) {
      if (ids.length < maxLength) push([S.eos], 1);
      stop = 'answer';
      break;
    }
    // end === </code>: run the block unless no round is left to read its output, or its output would not fit.
    if (rounds >= maxRounds) break;
    if (ids.length + 3 > maxLength) { stop = 'max-length'; break; }
    const open = ids.lastIndexOf(S.code);
    const code = extractCode(tok.decode(ids.slice(open))) ?? '';
    const result = sandbox.execute(code);
    if (result.ok) {
      images.push(result.image);
      calls.push({ code, ok: true, imageIndex: images.length - 1 });
      push([S.sandbox, S.image, S.sandboxEnd], 0);
    } else {
      calls.push({ code, ok: false, message: result.message });
      errorPositions.push(ids.length + 1);
      push([S.sandbox, S.error, S.sandboxEnd], 0);
    }
    if (ids.length >= maxLength) { stop = 'max-length'; break; }
  }

  // Decode between the environment's <error> tokens so each can be replaced by its message; the pieces split
  // inside sandbox outputs, where no code block is open, so each decodes on its own.
  const promptLength = options.prompt.length;
  const pieces: string[] = [];
  let from = promptLength;
  const messages = calls.filter((c) => !c.ok).map((c) => c.message!);
  errorPositions.forEach((pos, k) => {
    pieces.push(tok.decode(ids.slice(from, pos)), messages[k]!);
    from = pos + 1;
  });
  pieces.push(tok.decode(ids.slice(from)));
  const text = pieces.filter((p) => p !== '').join(' ');
  return { ids, promptLength, generated, images, calls, text, rounds, stop };
}
