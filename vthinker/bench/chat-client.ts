// A minimal client for an OpenAI-compatible /v1/chat/completions endpoint (vLLM, SGLang, a hosted API), and images
// as data URLs with the MIME type their bytes say (a JPEG sent as image/png is refused or misread by some servers).
// Plain fetch, no SDK: the judge needs one call shape, with retries for the errors a busy server gives.

/** One message part: text, or an image as a data URL. */
export type ChatPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

/** An OpenAI-compatible chat request. */
export interface ChatRequest {
  model?: string;
  temperature: number;
  max_tokens?: number;
  messages: { role: 'system' | 'user' | 'assistant'; content: ChatPart[] }[];
}

/** Sends a request and returns the reply text. */
export interface ChatClient {
  complete(request: ChatRequest): Promise<string>;
}

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

export interface HttpChatOptions {
  /** Base URL (http://host:8000/v1) or the full .../chat/completions URL. */
  endpoint: string;
  /** Sent as the request's model unless the request names one. */
  model?: string;
  apiKey?: string;
  /** Retries after a network error, a 429 or a 5xx (default 3), with exponential backoff from `backoffMs` (500). */
  retries?: number;
  backoffMs?: number;
  /** Per request (default 120 s). */
  timeoutMs?: number;
}

/** The chat completions URL of an endpoint given as a base URL or as the full URL. */
export function completionsUrl(endpoint: string): string {
  const base = endpoint.replace(/\/+$/, '');
  return base.endsWith('/chat/completions') ? base : `${base}/chat/completions`;
}

function replyText(body: unknown): string {
  const content = (body as { choices?: { message?: { content?: unknown } }[] })?.choices?.[0]?.message?.content;
  if (typeof content === 'string') return content;
  // Some servers answer with content parts.
  if (Array.isArray(content)) return content.map((p) => (typeof p?.text === 'string' ? p.text : '')).join('');
  throw new Error(`no choices[0].message.content in the reply: ${JSON.stringify(body).slice(0, 200)}`);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A ChatClient over HTTP. Errors other than network / 429 / 5xx fail at once, with the server's words. */
export function httpChatClient(options: HttpChatOptions): ChatClient {
  const url = completionsUrl(options.endpoint);
  const retries = options.retries ?? 3;
  const backoff = options.backoffMs ?? 500;
  return {
    async complete(request) {
      const body = JSON.stringify({ ...(options.model === undefined ? {} : { model: options.model }), ...request });
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
      let last = '';
      for (let attempt = 0; attempt <= retries; attempt++) {
        if (attempt > 0) await sleep(backoff * 2 ** (attempt - 1));
        let res: Response;
        try {
          res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? 120_000) });
        } catch (error) {
          last = `${url}: ${(error as Error).message}`;
          continue;
        }
        const text = await res.text();
        if (res.ok) {
          try {
            return replyText(JSON.parse(text));
          } catch (error) {
            throw new Error(`${url}: ${(error as Error).message}`);
          }
        }
        last = `${url}: HTTP ${res.status} ${text.slice(0, 200)}`;
        if (res.status !== 429 && res.status < 500) break;
      }
      throw new Error(last);
    },
  };
}
