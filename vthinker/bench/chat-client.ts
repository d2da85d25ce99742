// The one client for an OpenAI-compatible /v1/chat/completions endpoint (vLLM, SGLang, a hosted API, `vthinker
// serve`), used by the model judge and by `eval --endpoint`. Plain fetch, no SDK: one call shape is all we need.
// A busy or restarting server answers 429 / 5xx or drops the connection: those are retried with exponential backoff
// (Retry-After honoured); any other status fails at once with the server's message, since retrying will not change
// it. Images go as data URLs with the MIME type their bytes say (a JPEG sent as image/png is refused or misread by
// some servers).
import { BenchUsageError } from './records.ts';

/** One message part: text, or an image as a data URL. */
export type ChatPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string | ChatPart[];
}

/** An OpenAI-compatible chat request; `model` defaults to the client's. */
export interface ChatRequest {
  model?: string;
  messages: ChatMessage[];
  temperature?: number;
  stop?: string[];
  max_tokens?: number;
  seed?: number;
}

export interface Completion {
  content: string;
  finishReason: string | null;
  /** The stop string that ended it (vLLM's stop_reason): null for the end-of-text token, undefined when not reported. */
  stopReason: string | null | undefined;
  usage?: { prompt_tokens: number; completion_tokens: number };
}

export interface ChatClient {
  /** The chat completions URL requests go to. */
  url: string;
  complete(request: ChatRequest): Promise<Completion>;
}

export interface ChatClientOptions {
  /** The base URL, e.g. http://127.0.0.1:8000/v1 (a trailing /chat/completions is accepted too). */
  endpoint: string;
  /** Sent as the request's model unless the request names one. */
  model?: string;
  apiKey?: string;
  /** Attempts after the first one (default 6: 1 + 2 + ... + 32 s of waiting at most, plus Retry-After). */
  retries?: number;
  /** First backoff in ms (default 1000; doubles each time). */
  backoffMs?: number;
  /** Per request, in ms (default 10 minutes: a big model on a long item is slow). */
  timeoutMs?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

/** An answer that retrying will not change (a 4xx other than 429, a malformed reply), or retries spent. */
export class EndpointError extends Error {}

/** The MIME type of encoded image bytes, from their signature; null when they are none of PNG, JPEG, WebP, GIF. */
export function imageMime(bytes: Uint8Array): string | null {
  const b = bytes;
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b.length >= 8 && b[0] === 0x89 && ascii(1, 4) === 'PNG') return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (b.length >= 6 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) return 'image/gif';
  return null;
}

/** A data URL for encoded image bytes (unknown bytes are sent as PNG: the server will say what it thinks of them). */
export function dataUrl(bytes: Uint8Array): string {
  return `data:${imageMime(bytes) ?? 'image/png'};base64,${Buffer.from(bytes).toString('base64')}`;
}

/** The chat completions URL of an endpoint given as a base URL or as the full URL. */
export function completionsUrl(endpoint: string): string {
  const base = endpoint.replace(/\/+$/, '');
  return base.endsWith('/chat/completions') ? base : `${base}/chat/completions`;
}

/** An API key named by `--<flag> VAR` (the key itself never goes on the command line); a usage error when unset. */
export function apiKeyFromEnv(variable: string | undefined, flag: string): string | undefined {
  if (variable === undefined) return undefined;
  const key = process.env[variable];
  if (!key) throw new BenchUsageError(`--${flag} ${variable}: that environment variable is not set`);
  return key;
}

/** Retry-After in ms: delay-seconds or an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

type ReplyJson = {
  choices?: { message?: { content?: unknown }; finish_reason?: string | null; stop_reason?: unknown }[];
  usage?: Completion['usage'];
  error?: { message?: string };
};

function completionOf(url: string, status: number, text: string): Completion {
  let json: ReplyJson;
  try {
    json = JSON.parse(text);
  } catch {
    throw new EndpointError(`${url} answered HTTP ${status} with something that is not JSON: ${text.slice(0, 200)}`);
  }
  const choice = json.choices?.[0];
  if (!choice?.message) throw new EndpointError(`${url} answered without choices[0].message: ${text.slice(0, 300)}`);
  const content = choice.message.content;
  return {
    // Some servers answer with content parts.
    content: typeof content === 'string' ? content : Array.isArray(content) ? content.map((p) => (typeof p?.text === 'string' ? p.text : '')).join('') : '',
    finishReason: choice.finish_reason ?? null,
    stopReason: typeof choice.stop_reason === 'string' ? choice.stop_reason : 'stop_reason' in choice && choice.stop_reason === null ? null : undefined,
    ...(json.usage ? { usage: json.usage } : {}),
  };
}

export function createChatClient(o: ChatClientOptions): ChatClient {
  const url = completionsUrl(o.endpoint);
  const retries = o.retries ?? 6;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const doFetch = o.fetch ?? fetch;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {}) };

  /** One request: the completion, or why it is worth another try. */
  async function attempt(body: string): Promise<{ completion: Completion } | { error: string; waitMs?: number }> {
    let res: Response;
    try {
      res = await doFetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(o.timeoutMs ?? 600_000) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return { error: `${(error as Error).message}${cause ? ` (${cause})` : ''}` };
    }
    const text = await res.text().catch(() => '');
    if (res.status === 429 || res.status >= 500) return { error: `HTTP ${res.status}: ${text.slice(0, 200)}`, waitMs: retryAfterMs(res.headers.get('retry-after')) };
    if (!res.ok) {
      let message = text.slice(0, 300);
      try {
        message = (JSON.parse(text) as ReplyJson).error?.message ?? message;
      } catch { /* a plain-text error body is its own message */ }
      throw new EndpointError(`${url} answered HTTP ${res.status}: ${message}`);
    }
    return { completion: completionOf(url, res.status, text) };
  }

  return {
    url,
    async complete(request) {
      const body = JSON.stringify({ ...(o.model === undefined ? {} : { model: o.model }), ...request });
      let last = '';
      for (let k = 0; k <= retries; k++) {
        const r = await attempt(body);
        if ('completion' in r) return r.completion;
        last = r.error;
        if (k < retries) await sleep(Math.max(r.waitMs ?? 0, (o.backoffMs ?? 1000) * 2 ** k));
      }
      throw new EndpointError(`${url}: no answer after ${retries + 1} attempts; last: ${last}`);
    },
  };
}
