// An OpenAI chat conversation as our policy's token sequence. The policy was trained on one sequence per rollout:
// <bos> <image> question, then the model's rounds, each sandbox result spliced in as <sandbox_output> <image>
// </sandbox_output> (or <error> for a failure). A client following the paper's protocol sends exactly that as
// messages: the first user message (the image and the question), then alternately the model's rounds (assistant) and
// the sandbox results (user: an image, or the "Sandbox for ..." text). System messages are not shown to the policy (it
// was trained without one).
//
// Exactness: a round's text does not always encode back to the ids the model wrote (a coordinate bin written in prose
// decodes to a number the prose vocabulary lacks), so the server remembers the ids of every round it returned, keyed by
// the text, and uses them when that text comes back; unknown text is encoded.
import { promptIds } from '../curriculum/examples.ts';
import type { Tokenizer } from '../policy/tokenizer.ts';
import { decodePng, type RasterImage } from '../scene/render.ts';

export type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } | string };
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool' | 'developer';
  content: string | ContentPart[] | null;
}

/** A client's mistake, answered with HTTP 400 and this message. */
export class RequestError extends Error {}

export interface Conversation {
  /** Prompt, rounds and sandbox outputs as ids: what the next round continues. */
  prefix: number[];
  /** The original image, then the view of each successful sandbox call the policy can take. */
  images: RasterImage[];
}

const parts = (m: ChatMessage): ContentPart[] => (m.content === null || m.content === undefined ? [] : typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content);
const textOf = (m: ChatMessage) => parts(m).filter((p): p is { type: 'text'; text: string } => p.type === 'text').map((p) => p.text).join(' ');
const imagesOf = (m: ChatMessage) => parts(m).filter((p) => p.type === 'image_url').map((p) => (p as { image_url: { url: string } | string }).image_url);

/** The bytes of an image data URL (PNG, JPEG or WebP); only data URLs: the server fetches nothing. */
export function imageFromUrl(value: { url: string } | string): RasterImage {
  const url = typeof value === 'string' ? value : value?.url;
  const m = /^data:image\/[\w.+-]+;base64,(.*)$/s.exec(url ?? '');
  if (!m) throw new RequestError(`image_url must be a base64 data URL (data:image/png;base64,...), got ${JSON.stringify(String(url).slice(0, 40))}`);
  try {
    return decodePng(Buffer.from(m[1]!, 'base64'));
  } catch (error) {
    throw new RequestError(`image_url holds no decodable PNG, JPEG or WebP image: ${(error as Error).message}`);
  }
}

/** Remembers the ids behind recent round texts (least recently used out first). */
export class RoundMemory {
  private readonly map = new Map<string, number[]>();
  constructor(private readonly capacity = 20_000) {}
  private static key = (text: string) => text.replace(/\s+/g, ' ').trim();
  remember(text: string, ids: readonly number[]): void {
    const k = RoundMemory.key(text);
    this.map.delete(k);
    this.map.set(k, [...ids]);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
  }
  recall(text: string): number[] | undefined {
    const k = RoundMemory.key(text);
    const ids = this.map.get(k);
    if (ids) {
      this.map.delete(k);
      this.map.set(k, ids);
    }
    return ids;
  }
}

/**
 * The policy's view of a conversation. At most `maxImages - 1` sandbox results reach the policy as images: later ones
 * are shown as failures, which is what the in-process sandbox answers a call over its limit (rollouts.ts).
 */
export function toConversation(messages: readonly ChatMessage[], tok: Tokenizer, maxImages: number, memory: RoundMemory): Conversation {
  if (!Array.isArray(messages) || messages.length === 0) throw new RequestError('messages must be a non-empty array');
  const turns = messages.filter((m) => m && m.role !== 'system' && m.role !== 'developer');
  const first = turns[0];
  if (!first || first.role !== 'user') throw new RequestError('the first non-system message must be the user\'s (the image and the question)');
  const firstImages = imagesOf(first);
  if (firstImages.length !== 1) throw new RequestError(`the first user message must hold exactly one image, got ${firstImages.length}`);
  const images = [imageFromUrl(firstImages[0]!)];
  const S = tok.ids;
  const prefix = promptIds(tok, { spec: { question: textOf(first).trim() } });
  let results = 0;
  for (const m of turns.slice(1)) {
    if (m.role === 'assistant') {
      const text = textOf(m);
      prefix.push(...(memory.recall(text) ?? tok.encode(text)));
    } else if (m.role === 'user' || m.role === 'tool') {
      results++;
      const shown = imagesOf(m);
      if (shown.length > 0 && results <= maxImages - 1) {
        images.push(imageFromUrl(shown[shown.length - 1]!));
        prefix.push(S.sandbox, S.image, S.sandboxEnd);
      } else prefix.push(S.sandbox, S.error, S.sandboxEnd);
    } else throw new RequestError(`unsupported message role ${JSON.stringify((m as ChatMessage).role)}`);
  }
  return { prefix, images };
}
