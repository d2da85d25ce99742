// Our policy behind the OpenAI wire format: POST /v1/chat/completions and GET /v1/models, so `vthinker eval
// --endpoint` (or any OpenAI client) scores it exactly as it scores a hosted VLM. One completion is one generation
// round of the rollout (policy/rollout.ts with one round): prose, then the code it opens, ending at </code>,
// </answer> or <eos>; the client runs the code and sends the result back as the next user message. Stop strings
// are honoured as OpenAI does (the matched string is left out of the content; vLLM's `stop_reason` names it).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Policy } from '../model/policy.ts';
import { rollout } from '../policy/rollout.ts';
import type { Tokenizer } from '../policy/tokenizer.ts';
import { createSandbox } from '../sandbox/index.ts';
import { rng } from '../util/random.ts';
import { Batcher, type BatcherOptions, type BatchStats } from './batcher.ts';
import { RequestError, RoundMemory, toConversation, type ChatMessage } from './conversation.ts';

export interface ServeOptions extends BatcherOptions {
  /** The name /v1/models lists and completions report. */
  modelName: string;
  port?: number;
  host?: string;
  /** Seed of the sampler (used only when a request asks for temperature > 0). */
  seed?: number;
  /** Largest request body in bytes (images come inline as data URLs). */
  maxBodyBytes?: number;
}

export interface RunningServer {
  server: Server;
  url: string;
  stats: BatchStats & { requests: number };
  close(): Promise<void>;
}

interface CompletionRequest {
  model?: string;
  messages: ChatMessage[];
  temperature?: number;
  stop?: string | string[] | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  n?: number;
  stream?: boolean;
}

/** One round for a request: the text written, its ids, and why it ended. */
async function completeRound(policy: Policy, tok: Tokenizer, batcher: Batcher, memory: RoundMemory, body: CompletionRequest) {
  const { prefix, images } = toConversation(body.messages, tok, policy.config.maxImages, memory);
  const temperature = body.temperature ?? 0;
  if (!(typeof temperature === 'number' && temperature >= 0 && temperature <= 5)) throw new RequestError('temperature must be a number from 0 to 5');
  const S = tok.ids;
  const maxSeq = policy.config.maxSeq;
  // The sandbox is never called: a one-round rollout stops right after the code block closes.
  const r = await rollout({
    tokenizer: tok, prompt: prefix, image: images[0]!, maxRounds: 1, maxLength: maxSeq,
    sandbox: createSandbox({ id: 'serve', image: images[0]!, sceneSize: tok.canvas }),
    generate: (request) => batcher.generate({ request, images, temperature }),
  });
  let ids = r.ids.slice(prefix.length);
  const last = ids.filter((id) => id !== S.eos).at(-1);
  const closedCode = r.stop === 'max-rounds' && last === S.codeEnd;
  // No room left for the sandbox's output: the in-process rollout ends here (max-length) without running the code.
  let finish: 'stop' | 'length' = r.stop === 'max-length' || (closedCode && r.ids.length + 3 > maxSeq) ? 'length' : 'stop';
  const limit = body.max_completion_tokens ?? body.max_tokens;
  if (typeof limit === 'number' && limit >= 0 && ids.length > limit) {
    ids = ids.slice(0, limit);
    finish = 'length';
  }
  const text = tok.decode(ids);
  memory.remember(text, ids);
  return { text, ids, finish, promptTokens: prefix.length };
}

/** Tags that end a round only as the token the policy stopped on; written elsewhere they are prose, not a stop. */
const ROUND_ENDS = new Set(['</code>', '</answer>']);

/**
 * Cuts the text at the first stop string, as OpenAI does (the string itself is not returned). The policy stops on
 * tokens, so a </code> or </answer> it wrote in the middle of prose (outside any block) did not end its round: those
 * two count only at the end of the text.
 */
export function applyStops(text: string, stops: readonly string[]): { content: string; stop: string | null } {
  let at = -1, which: string | null = null;
  const end = text.trimEnd();
  for (const s of stops) {
    const i = s === '' ? -1 : ROUND_ENDS.has(s) ? (end.endsWith(s) ? end.length - s.length : -1) : text.indexOf(s);
    if (i >= 0 && (at < 0 || i < at)) [at, which] = [i, s];
  }
  return at < 0 ? { content: text, stop: null } : { content: text.slice(0, at), stop: which };
}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new RequestError(`request body over ${max} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const send = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};
const apiError = (res: ServerResponse, status: number, message: string) => send(res, status, { error: { message, type: status < 500 ? 'invalid_request_error' : 'server_error', code: null } });

/** Starts the server; resolves once it listens (port 0 picks a free one). */
export async function serve(policy: Policy, tok: Tokenizer, o: ServeOptions): Promise<RunningServer> {
  const batcher = new Batcher(policy, tok, rng(o.seed ?? 0), o);
  const memory = new RoundMemory();
  const stats = Object.assign(batcher.stats, { requests: 0 });
  const created = Math.floor(Date.now() / 1000);
  let counter = 0;
  const server = createServer(async (req, res) => {
    try {
      const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '');
      if (req.method === 'GET' && (path === '/v1/models' || path === '/models')) {
        return send(res, 200, { object: 'list', data: [{ id: o.modelName, object: 'model', created, owned_by: 'vthinker' }] });
      }
      if (req.method === 'GET' && path === '/health') return send(res, 200, { ok: true });
      if (req.method !== 'POST' || (path !== '/v1/chat/completions' && path !== '/chat/completions')) return apiError(res, 404, `no route ${req.method} ${req.url}: use POST /v1/chat/completions or GET /v1/models`);
      let body: CompletionRequest;
      try {
        body = JSON.parse(await readBody(req, o.maxBodyBytes ?? 64 * 1024 * 1024)) as CompletionRequest;
      } catch (error) {
        return apiError(res, 400, error instanceof RequestError ? error.message : `the body is not JSON: ${(error as Error).message}`);
      }
      if (body === null || typeof body !== 'object') return apiError(res, 400, 'the body must be a JSON object');
      if (body.stream) return apiError(res, 400, 'stream: true is not supported; ask without streaming');
      if ((body.n ?? 1) !== 1) return apiError(res, 400, 'only n = 1 is supported');
      if (body.model !== undefined && body.model !== o.modelName) return apiError(res, 404, `model ${JSON.stringify(body.model)} is not served here; GET /v1/models lists ${JSON.stringify(o.modelName)}`);
      stats.requests++;
      const round = await completeRound(policy, tok, batcher, memory, body);
      const stops = body.stop === undefined || body.stop === null ? [] : Array.isArray(body.stop) ? body.stop : [body.stop];
      const cut = round.finish === 'stop' ? applyStops(round.text, stops) : { content: round.text, stop: null };
      return send(res, 200, {
        id: `chatcmpl-${++counter}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: o.modelName,
        choices: [{ index: 0, message: { role: 'assistant', content: cut.content }, finish_reason: round.finish, stop_reason: cut.stop, logprobs: null }],
        usage: { prompt_tokens: round.promptTokens, completion_tokens: round.ids.length, total_tokens: round.promptTokens + round.ids.length },
      });
    } catch (error) {
      if (error instanceof RequestError) return apiError(res, 400, error.message);
      return apiError(res, 500, `internal error: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 8000, o.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${o.host ?? '127.0.0.1'}:${port}/v1`,
    stats,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
