// `vthinker sandbox --image X --code FILE [--lang python|draw] [--out DIR]`: one program through the sandbox a model's
// code would go to, to see what the model would get back. FILE may be bare code or a whole response (its last
// <code> block runs); without --lang the language is read from the fence or guessed from the code.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { withUsageErrors } from '../cli/usage.ts';
import { extractCodeBlock, guessLanguage, type CodeBlock } from './code-block.ts';
import { availableIsolation } from './python.ts';
import { createTool } from './tool.ts';

export const SANDBOX_USAGE = 'vthinker sandbox --image FILE --code FILE [--lang python|draw] [--out DIR]';

const HELP = `usage: ${SANDBOX_USAGE}

Runs one program on an image in the sandbox: Python (a separate python3 process: 10 s, 1 GiB, no network, a
read-only copy of the image as image_path; see vthinker/sandbox/README.md) or the drawing language (coordinates in
the image's pixels). Writes the images it returns into --out (default sandbox-out) and prints what it printed, or
the "Sandbox for ..." message (exit status 1).`;

export async function sandboxCommand(args: string[]): Promise<number> {
  return withUsageErrors(() => sandbox(args), 'vthinker sandbox');
}

async function sandbox(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { image: { type: 'string' }, code: { type: 'string' }, lang: { type: 'string' }, out: { type: 'string', default: 'sandbox-out' }, help: { type: 'boolean', short: 'h' }, profile: { type: 'string' } } });
  if (values.help) return (console.log(HELP), 0);
  if (!values.image || !values.code) return (console.error(`usage: ${SANDBOX_USAGE}`), 2);
  for (const [flag, file] of [['--image', values.image], ['--code', values.code]] as const) {
    if (!existsSync(file)) return (console.error(`vthinker sandbox: ${flag} ${file}: file not found`), 2);
  }
  if (values.lang !== undefined && values.lang !== 'python' && values.lang !== 'draw') return (console.error(`vthinker sandbox: --lang must be python or draw, got ${JSON.stringify(values.lang)}`), 2);
  const text = readFileSync(values.code, 'utf8');
  const found = extractCodeBlock(text);
  const code = found?.code ?? text.trim();
  const block: CodeBlock = { code, lang: (values.lang as CodeBlock['lang'] | undefined) ?? found?.lang ?? guessLanguage(code) };
  const tool = createTool({ id: 'cli', image: readFileSync(values.image) });
  const r = await tool.runBlock(block);
  const where = block.lang === 'python' ? `python, ${availableIsolation()}` : 'drawing language';
  if (!r.ok) {
    console.log(`${r.message}\n(${where})`);
    return 1;
  }
  mkdirSync(values.out!, { recursive: true });
  const files = r.images.map((png, k) => {
    const file = join(values.out!, `output-${k}.png`);
    writeFileSync(file, png);
    return file;
  });
  if (r.text) console.log(r.text);
  console.log(`${files.length} image(s)${files.length ? `: ${files.join(', ')}` : ''} (${where})`);
  return 0;
}
