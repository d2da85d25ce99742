// The model judge, after the paper's protocol: Perception and IGI are judged by a multimodal model shown the
// images in the order [original, generated, ground truth]; IR in two passes, the final answer extracted from the
// response, then judged equivalent (or not) to the gold answer. The wording below is ours; `--judge-prompt FILE`
// puts the official text in its place (a JSON object with any of the keys of ModelJudgePrompts).
//
// Templates use Python's str.format conventions, as the official scripts do, so their text pastes in unchanged:
// {question} (also {instruction}), {answer} (also {gt}), {response} (also {prediction}), {extracted} (also
// {extraction}, {model_answer}); {{ and }} are literal braces. Image markers in a template (<image>, or Qwen's
// <|vision_start|><|image_pad|><|vision_end|>) say where the three images go; without markers they follow the text.
import { existsSync, readFileSync } from 'node:fs';
import { encodePng } from '../scene/render.ts';
import { type ChatClient, type ChatPart, type ChatRequest, dataUrl } from './chat-client.ts';
import { goldAnswer, type Judge, type TaskOutput, type Verdict } from './judges.ts';
import { annotationOf, type BenchItem, questionOf, type Task } from './types.ts';

/** Prompt templates: the two image judges, and IR's two passes. */
export interface ModelJudgePrompts {
  system?: string;
  perception: string;
  instruction: string;
  /** IR pass 1: the final answer in a response ({question}, {response}). */
  extract: string;
  /** IR pass 2: equivalence of the extracted answer and the gold one ({question}, {answer}, {extracted}). */
  reasoning: string;
}

const IMAGE_RULES = `You will see three images in this order: the ORIGINAL image, the GENERATED image (the original after the model's edit), and the GROUND TRUTH image (the original with the correct edit).
Answer 1 if the generated edit means the same as the ground truth: the right feature, in about the right place. Ignore colour, thickness, marker shape and line style.
Answer 0 if the edit marks or draws the wrong thing, misses part of what was asked, adds clearly wrong marks, or if the generated image is unchanged from the original.
Reply with the single digit 1 or 0 and nothing else.`;

/** Our wording of the paper's judge instructions (the official text is not reproduced here). */
export const DEFAULT_PROMPTS: ModelJudgePrompts = {
  perception: `You are grading a visual perception task. The model was asked: "{question}". It answered by marking point(s) on the image. A small offset from the exact position is fine when the intended point is clear.\n${IMAGE_RULES}`,
  instruction: `You are grading an instruction-guided drawing task. The model was asked: "{question}". It answered by drawing on the image. Lines that are a little off in position, angle or length are fine when they connect or construct the intended features.\n${IMAGE_RULES}`,
  extract: `Read the question and a model's response below, and copy out the model's final answer exactly as it states it (a number, an expression, an option letter, a word). If the response gives no final answer, write "null".\n\nQuestion: {question}\n\nModel response: {response}\n\nReply with the final answer only.\nExtracted answer:`,
  reasoning: `Decide whether a model's answer to a math question is equivalent to the standard answer. Equivalent means the same value or the same option, however written (0.5 = 1/2, 2\\sqrt{{3}} = 2√3, "(C)" = "C", 50 cm = 0.5 m). A different value, a different option, or a partial answer is not equivalent; "null" is never equivalent.\n\nQuestion: {question}\nStandard answer: {answer}\nModel answer: {extracted}\n\nReply with 1 if equivalent, 0 if not, and nothing else.\nJudgement:`,
};

const ALIASES: Record<string, string> = { instruction: 'question', gt: 'answer', prediction: 'response', extraction: 'extracted', model_answer: 'extracted' };

/** Fills a template the way Python's str.format would (unknown names are left as written). */
export function fillTemplate(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{|\}\}|\{(\w+)\}/g, (m, name: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const v = vars[ALIASES[name!] ?? name!];
    return v === undefined ? m : v;
  });
}

const IMAGE_MARKER = /<\|vision_start\|>\s*<\|image_pad\|>\s*<\|vision_end\|>|<image>/g;

/** The prompt's text with the images placed at its markers, or after it when it has exactly none. */
function withImages(text: string, images: Uint8Array[]): ChatPart[] {
  const pieces = text.split(IMAGE_MARKER);
  const image = (b: Uint8Array): ChatPart => ({ type: 'image_url', image_url: { url: dataUrl(b) } });
  if (pieces.length === images.length + 1) {
    return pieces.flatMap((p, i) => [...(p.trim() ? [{ type: 'text' as const, text: p }] : []), ...(i < images.length ? [image(images[i]!)] : [])]);
  }
  const labels = ['Original image:', 'Generated image:', 'Ground truth image:'];
  return [{ type: 'text', text: pieces.join('') }, ...images.flatMap((b, i) => [{ type: 'text' as const, text: labels[i] ?? `Image ${i + 1}:` }, image(b)])];
}

function request(prompts: ModelJudgePrompts, content: ChatPart[]): ChatRequest {
  const system: ChatRequest['messages'] = prompts.system ? [{ role: 'system', content: [{ type: 'text', text: prompts.system }] }] : [];
  return { temperature: 0, max_tokens: 256, messages: [...system, { role: 'user', content }] };
}

/** The image judge's request: images in the paper's order original, generated, ground truth. */
export function judgeRequest(task: 'perception' | 'instruction', item: BenchItem, output: TaskOutput, prompts: ModelJudgePrompts): ChatRequest {
  if (!output.image) throw new Error('judgeRequest: no output image');
  const generated = output.image instanceof Uint8Array ? output.image : encodePng(output.image);
  const text = fillTemplate(prompts[task], { question: questionOf(item, task) ?? '' });
  return request(prompts, withImages(text, [item.image, generated, annotationOf(item, task)]));
}

/** IR pass 1: extract the final answer from a response. */
export function extractRequest(item: BenchItem, response: string, prompts: ModelJudgePrompts): ChatRequest {
  return request(prompts, [{ type: 'text', text: fillTemplate(prompts.extract, { question: questionOf(item, 'reasoning') ?? '', response }) }]);
}

/** IR pass 2: is the extracted answer equivalent to the gold one. */
export function equivalenceRequest(item: BenchItem, extracted: string, prompts: ModelJudgePrompts): ChatRequest {
  const vars = { question: questionOf(item, 'reasoning') ?? '', answer: goldAnswer(item), extracted };
  return request(prompts, [{ type: 'text', text: fillTemplate(prompts.reasoning, vars) }]);
}

const NEGATIVE = /\b(?:incorrect|inconsistent|not (?:correct|consistent|equivalent)|wrong|inequivalent)\b/i;
const POSITIVE = /\b(?:correct|consistent|equivalent)\b/i;

/**
 * Reads a 0/1 verdict from a judge's reply; null when it gives none. In order: a keyed digit ("Judgement: 1",
 * "Score: 0", "**Verdict**: 1"; the last one counts), a leading digit ("1\n\nThe point is correct."), a last line
 * that is only a digit or yes / no, then the words correct / incorrect (consistent, equivalent) when only one side
 * appears. A reply with both or neither is null: a judge failure, not a 0.
 */
export function parseVerdict(reply: string): 0 | 1 | null {
  const s = reply.replace(/[*_`#]/g, '').trim();
  const keyed = [...s.matchAll(/\b(?:judge?ment|score|verdict|grade|result|output)\s*(?:is)?\s*[:=]?\s*([01])(?![\d.])/gi)];
  if (keyed.length) return keyed[keyed.length - 1]![1] === '1' ? 1 : 0;
  const lead = /^([01])(?![\d.])/.exec(s);
  if (lead) return lead[1] === '1' ? 1 : 0;
  const last = s.split(/\r?\n/).pop()!.trim().toLowerCase().replace(/[.!]$/, '');
  if (last === '1' || last === 'yes') return 1;
  if (last === '0' || last === 'no') return 0;
  const negative = NEGATIVE.test(s);
  const positive = POSITIVE.test(s.replace(new RegExp(NEGATIVE.source, 'gi'), ''));
  if (negative !== positive) return positive ? 1 : 0;
  return null;
}

/** The extracted answer of IR pass 1, less a restated "Extracted answer:" lead-in and quotes. */
export function cleanExtraction(reply: string): string {
  return reply.trim().replace(/^(?:extracted answer|final answer|answer)\s*[:：]\s*/i, '').replace(/^["'`]+|["'`]+$/g, '').trim();
}

const quote = (s: string) => JSON.stringify(s.length > 200 ? `${s.slice(0, 200)}...` : s);

/** A Judge backed by a chat model. A failed request or an unreadable reply is a judge failure (score 0, failed). */
export function modelJudge(task: Task, client: ChatClient, prompts: ModelJudgePrompts = DEFAULT_PROMPTS): Judge {
  const ask = async (req: ChatRequest): Promise<{ reply: string } | { error: string }> => {
    try {
      return { reply: (await client.complete(req)).content };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  const fail = (why: string, details: Record<string, string> = {}): Verdict => ({ score: 0, failed: true, reasons: [why], details });
  const verdict = (reply: string, details: Record<string, string>): Verdict => {
    const score = parseVerdict(reply);
    if (score === null) return fail(`no verdict in the judge's reply: ${quote(reply)}`, { ...details, reply });
    return { score, reasons: [`model judge: ${score}`], details: { ...details, reply } };
  };
  return {
    name: `model-${task}`,
    task,
    async judge(item, output): Promise<Verdict> {
      if (task !== 'reasoning') {
        if (!output.image) return { score: 0, reasons: ['no output image'] };
        const r = await ask(judgeRequest(task, item, output, prompts));
        return 'error' in r ? fail(`judge request failed: ${r.error}`) : verdict(r.reply, {});
      }
      if (output.text === undefined) return { score: 0, reasons: ['no response text'] };
      const x = await ask(extractRequest(item, output.text, prompts));
      if ('error' in x) return fail(`extraction request failed: ${x.error}`);
      const extracted = cleanExtraction(x.reply);
      if (extracted === '' || /^null$/i.test(extracted)) return { score: 0, reasons: ['the judge found no final answer in the response'], details: { extracted } };
      const j = await ask(equivalenceRequest(item, extracted, prompts));
      return 'error' in j ? fail(`judge request failed: ${j.error}`, { extracted }) : verdict(j.reply, { extracted });
    },
  };
}

/** Prompts from `--judge-prompt FILE`: a JSON object with any of system, perception, instruction, extract, reasoning. */
export function loadJudgePrompts(file: string): ModelJudgePrompts {
  if (!existsSync(file)) throw new Error(`--judge-prompt ${file}: file not found`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`--judge-prompt ${file}: not valid JSON (${(error as Error).message}); expected {"perception": "...", "instruction": "...", "extract": "...", "reasoning": "..."}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`--judge-prompt ${file}: expected a JSON object of prompt templates`);
  const keys = ['system', 'perception', 'instruction', 'extract', 'reasoning'];
  const out: Record<string, string | undefined> = { ...DEFAULT_PROMPTS };
  for (const [k, v] of Object.entries(raw)) {
    if (!keys.includes(k)) throw new Error(`--judge-prompt ${file}: unknown key "${k}" (known: ${keys.join(', ')})`);
    if (typeof v !== 'string') throw new Error(`--judge-prompt ${file}: "${k}" must be a string`);
    out[k] = v;
  }
  return out as unknown as ModelJudgePrompts;
}
