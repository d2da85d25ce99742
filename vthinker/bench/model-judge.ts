// The seam for a model judge: the paper judges Perception and IGI with a multimodal model shown three images in the
// order [original, generated, ground truth] and its v2 prompts (correct concept, moderate pixel tolerance for
// perception, broader spatial tolerance for IGI, 0 when nothing changed). Nothing here talks to a network: a caller
// supplies a ChatClient (e.g. a fetch to an OpenAI-compatible /v1/chat/completions endpoint) and the prompt text.
//
// To add one: implement ChatClient.complete(request) -> the reply text; put the paper's v2 judge prompts (from the
// released evaluation code; not reproduced here) into ModelJudgePrompts; pass modelJudge(task, client, prompts) in
// JudgeOptions.judges. The reply must end with a verdict the parser below reads ("score: 1" / "score: 0", or a lone
// 1 / 0 / yes / no on the last line); anything else scores 0 with the reply quoted in the reasons.
import { encodePng } from '../scene/render.ts';
import type { Judge, TaskOutput, Verdict } from './judges.ts';
import type { BenchItem, Task } from './types.ts';

/** An OpenAI-compatible chat request: one user message, text then images as data URLs. */
export interface ChatRequest {
  model?: string;
  temperature: number;
  messages: { role: 'system' | 'user'; content: ({ type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } })[] }[];
}

/** Sends a request and returns the reply text. */
export interface ChatClient {
  complete(request: ChatRequest): Promise<string>;
}

/** Prompt text per task; `{question}` is replaced by the task's question (and `{answer}` by IR's gold answer). */
export interface ModelJudgePrompts {
  system?: string;
  perception: string;
  instruction: string;
  reasoning: string;
}

const dataUrl = (bytes: Uint8Array) => `data:image/png;base64,${Buffer.from(bytes).toString('base64')}`;

/** The request for one judgement: images in the paper's order original, generated, ground truth. */
export function judgeRequest(task: Task, item: BenchItem, output: TaskOutput, prompts: ModelJudgePrompts): ChatRequest {
  const question = task === 'perception' ? item.perception.question : task === 'instruction' ? item.instruction.question : item.reasoning.question;
  const text = prompts[task].replaceAll('{question}', question).replaceAll('{answer}', item.reasoning.answer);
  const content: ChatRequest['messages'][number]['content'] = [{ type: 'text', text }];
  if (task !== 'reasoning') {
    const generated = output.image instanceof Uint8Array ? output.image : encodePng(output.image!);
    const truth = task === 'perception' ? item.perception.annotation : item.instruction.annotation;
    for (const img of [item.image, generated, truth]) content.push({ type: 'image_url', image_url: { url: dataUrl(img) } });
  } else {
    content.push({ type: 'text', text: `Response:\n${output.text ?? ''}` });
  }
  const messages: ChatRequest['messages'] = prompts.system ? [{ role: 'system', content: [{ type: 'text', text: prompts.system }] }] : [];
  return { temperature: 0, messages: [...messages, { role: 'user', content }] };
}

/** Reads a 0/1 verdict from a judge's reply; null when it gives none. */
export function parseVerdict(reply: string): 0 | 1 | null {
  const m = /score\s*[:=]\s*([01])\b/i.exec(reply);
  if (m) return m[1] === '1' ? 1 : 0;
  const last = reply.trim().split(/\r?\n/).pop()?.trim().toLowerCase().replace(/[.*`]/g, '') ?? '';
  if (last === '1' || last === 'yes' || last === 'correct') return 1;
  if (last === '0' || last === 'no' || last === 'incorrect') return 0;
  return null;
}

/** A Judge backed by a chat model. */
export function modelJudge(task: Task, client: ChatClient, prompts: ModelJudgePrompts, model?: string): Judge {
  return {
    name: `model-${task}`,
    task,
    async judge(item, output): Promise<Verdict> {
      if (task !== 'reasoning' && !output.image) return { score: 0, reasons: ['no output image'] };
      if (task === 'reasoning' && output.text === undefined) return { score: 0, reasons: ['no response text'] };
      const request = judgeRequest(task, item, output, prompts);
      if (model !== undefined) request.model = model;
      const reply = await client.complete(request);
      const score = parseVerdict(reply);
      return { score: score ?? 0, reasons: [score === null ? `no verdict in the judge's reply: ${JSON.stringify(reply.slice(0, 200))}` : `model judge: ${score}`] };
    },
  };
}
