// One rollout's tool: the code block of a response, routed by its language to the drawing sandbox (our policy's
// language; calls accumulate on one canvas, as in training) or the Python sandbox (real VLMs; every call starts from
// the input image, as the paper's evaluation does). Results are PNG bytes or text, ready to go back to a model.
import { decodePng, encodePng } from '../scene/render.ts';
import { extractCodeBlock, type CodeBlock, type CodeLanguage } from './code-block.ts';
import { runPython, type PythonLimits } from './python.ts';
import { createSandbox, type Sandbox } from './sandbox.ts';
import type { SandboxLimits } from './limits.ts';

export type ToolResult =
  | { ok: true; lang: CodeLanguage; images: Buffer[]; text: string }
  | { ok: false; lang: CodeLanguage | null; message: string };

export interface ToolOptions {
  id: string;
  /** The input image, encoded. */
  image: Uint8Array;
  /** What drawing-language coordinates span (the item's scene, else the image's pixels). */
  sceneSize?: { width: number; height: number };
  drawLimits?: Partial<SandboxLimits>;
  pythonLimits?: Partial<PythonLimits>;
}

export interface Tool {
  /** Runs the last code block of `response`; never rejects. */
  run(response: string): Promise<ToolResult>;
  /** Runs code whose language is known; never rejects. */
  runBlock(block: CodeBlock): Promise<ToolResult>;
}

export function createTool(o: ToolOptions): Tool {
  let draw: Sandbox | undefined;
  const failure = (lang: CodeLanguage | null, reason: string): ToolResult => ({ ok: false, lang, message: `Sandbox for ${o.id}: ${reason}` });
  const tool: Tool = {
    async run(response) {
      const block = extractCodeBlock(response);
      return block ? tool.runBlock(block) : failure(null, 'no code block found; write the code between <code> and </code>');
    },
    async runBlock(block) {
      if (block.lang === 'python') {
        const r = await runPython({ id: o.id, code: block.code, image: o.image, limits: o.pythonLimits });
        return r.ok ? { ok: true, lang: 'python', images: r.images, text: r.stdout } : { ok: false, lang: 'python', message: r.message };
      }
      try {
        if (!draw) {
          const image = decodePng(o.image);
          draw = createSandbox({ id: o.id, image, sceneSize: o.sceneSize ?? { width: image.width, height: image.height }, limits: o.drawLimits });
        }
      } catch (error) {
        return failure('draw', `the input image cannot be read: ${(error as Error).message}`);
      }
      const r = draw.execute(block.code);
      return r.ok ? { ok: true, lang: 'draw', images: [encodePng(r.image)], text: '' } : { ok: false, lang: 'draw', message: r.message };
    },
  };
  return tool;
}
