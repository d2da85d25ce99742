// A small client for an OpenAI-compatible /v1/chat/completions endpoint (vLLM, SGLang, a hosted API, `vthinker
// serve`): retries with exponential backoff on 429, 5xx, timeouts and network errors (Retry-After honoured), and
// fails at once, with the server's message, on any other status.

export type ChatContent = string | ({ type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } })[];
export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: ChatContent;
}

export interface CompletionBody {
  model: string;
  messages: ChatTurn[];
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

export interface ChatClientOptions {
  /** The base URL, e.g. http://127.0.0.1:8000/v1 (a trailing /chat/completions is accepted too). */
  endpoint: string;
  apiKey?: string;
  /** Attempts after the first one (default 6: 1 + 2 + ... + 32 s of waiting at most, plus Retry-After). */
  retries?: number;
  /** Per request, in ms (default 10 minutes: a big model on a long item is slow). */
  timeoutMs?: number;
  /** First backoff in ms (doubles each time). */
  backoffMs?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

/** An answer that retrying will not change (a 4xx other than 429, or a malformed reply). */
export class EndpointError extends Error {}

export const completionsUrl = (endpoint: string) => {
  const base = endpoint.replace(/\/+$/, '');
  return base.endsWith('/chat/completions') ? base : `${base}/chat/completions`;
};

export function createChatClient(o: ChatClientOptions) {
  const url = completionsUrl(o.endpoint);
  const retries = o.retries ?? 6;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const doFetch = o.fetch ?? fetch;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {}) };

  async function attempt(body: CompletionBody): Promise<{ retryAfterMs?: number; error?: string; completion?: Completion }> {
    let res: Response;
    try {
      res = await doFetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(o.timeoutMs ?? 600_000) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return { error: `${(error as Error).message}${cause ? ` (${cause})` : ''}` };
    }
    const text = await res.text().catch(() => '');
    if (res.status === 429 || res.status >= 500) {
      const after = Number(res.headers.get('retry-after'));
      return { error: `HTTP ${res.status}: ${text.slice(0, 200)}`, retryAfterMs: Number.isFinite(after) && after > 0 ? after * 1000 : undefined };
    }
    let json: { choices?: { message?: { content?: unknown }; finish_reason?: string | null; stop_reason?: unknown }[]; usage?: Completion['usage']; error?: { message?: string } };
    try {
      json = JSON.parse(text);
    } catch {
      throw new EndpointError(`${url} answered HTTP ${res.status} with something that is not JSON: ${text.slice(0, 200)}`);
    }
    if (!res.ok) throw new EndpointError(`${url} answered HTTP ${res.status}: ${json.error?.message ?? text.slice(0, 300)}`);
    const choice = json.choices?.[0];
    if (!choice) throw new EndpointError(`${url} answered without choices: ${text.slice(0, 300)}`);
    const content = choice.message?.content;
    return {
      completion: {
        content: typeof content === 'string' ? content : '',
        finishReason: choice.finish_reason ?? null,
        stopReason: typeof choice.stop_reason === 'string' ? choice.stop_reason : 'stop_reason' in choice && choice.stop_reason === null ? null : undefined,
        usage: json.usage,
      },
    };
  }

  return {
    url,
    async complete(body: CompletionBody): Promise<Completion> {
      let last = '';
      for (let k = 0; k <= retries; k++) {
        const r = await attempt(body);
        if (r.completion) return r.completion;
        last = r.error!;
        if (k < retries) await sleep(Math.max(r.retryAfterMs ?? 0, (o.backoffMs ?? 1000) * 2 ** k));
      }
      throw new EndpointError(`${url}: no answer after ${retries + 1} attempts; last: ${last}`);
    },
  };
}

export type ChatClient = ReturnType<typeof createChatClient>;
