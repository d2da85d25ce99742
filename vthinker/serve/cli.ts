// `vthinker serve --model STAGE|DIR [--port P] [--host H] [--name NAME]`: a trained policy behind an
// OpenAI-compatible endpoint until interrupted (see server.ts for the wire format).
import { parseArgs } from 'node:util';
import { numberOption, withUsageErrors } from '../cli/usage.ts';
import { basename } from 'node:path';
import { loadModelDir } from '../bench/evaluate-model.ts';
import { modelDir } from '../cli/model-commands.ts';
import { initCompute } from '../compute/setup.ts';
import { serve } from './server.ts';

export const SERVE_USAGE = 'vthinker serve --model STAGE|DIR [--port 8000] [--host 127.0.0.1] [--name NAME] [--batch-window-ms 5] [--max-batch 64] [--profile NAME]';

const HELP = `usage: ${SERVE_USAGE}

Serves a trained policy (a stage's model in the profile's lock, or a model directory) at
  POST /v1/chat/completions   one generation round per request (ends at </code>, </answer> or <eos>)
  GET  /v1/models             the served name (--name, default: the stage or directory name)
Messages: the first user message holds the image (a base64 data URL) and the question; then the model's rounds
(assistant) and the sandbox results (user: an image, or the "Sandbox for ..." text). Greedy unless a request sets
temperature. Concurrent requests are batched into one forward pass. Score it with:
  vthinker eval --endpoint http://127.0.0.1:8000/v1 --model NAME --bench FILE`;

export async function serveCommand(args: string[], env: { root: string; profile: string }): Promise<number> {
  return withUsageErrors(() => serveModel(args, env), 'vthinker serve');
}

async function serveModel(args: string[], env: { root: string; profile: string }): Promise<number> {
  const { values } = parseArgs({ args, options: {
    model: { type: 'string' }, port: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' }, name: { type: 'string' },
    'batch-window-ms': { type: 'string' }, 'max-batch': { type: 'string' }, profile: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  } });
  if (values.help) return (console.log(HELP), 0);
  if (!values.model) {
    console.error(`usage: ${SERVE_USAGE}`);
    return 2;
  }
  const port = numberOption('port', values.port, 8000, 0, 65535), windowMs = numberOption('batch-window-ms', values['batch-window-ms'], 5, 0, 10_000);
  const maxBatch = numberOption('max-batch', values['max-batch'], 64, 1, 4096);
  let dir: string;
  try {
    dir = modelDir(values.model, env);
  } catch (error) {
    console.error(`vthinker serve: ${(error as Error).message}`);
    return 2;
  }
  await initCompute();
  const { policy, tok } = loadModelDir(dir);
  const name = values.name ?? (values.model.includes('/') ? basename(dir) : values.model);
  const running = await serve(policy, tok, { modelName: name, port, host: values.host!, windowMs, maxBatch }).catch((error: Error) => error);
  if (running instanceof Error) {
    policy.dispose();
    console.error(`vthinker serve: cannot listen on ${values.host}:${port}: ${running.message}`);
    return 2;
  }
  console.error(`serving ${name} (${dir}) at ${running.url}; Ctrl-C stops`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
  policy.dispose();
  console.error(`served ${running.stats.requests} requests in ${running.stats.calls} batched calls (largest ${running.stats.largest})`);
  return 0;
}
