// The paper's evaluation protocol for one (item, task), against a chat endpoint: a system prompt (ours, in our own
// words; --system-prompt FILE for the official text), the image as a data URL and the question, greedy decoding,
// completions stopped at </code> and </answer>. A closed code block is run in the sandbox its language calls for and
// the result comes back as the next user turn (the image, or the "Sandbox for ..." text). Rounds as our in-process
// eval (bench/run-policy.ts): Perception and IGI get one code round and then the answer round; IR up to `irRounds`
// rounds; code closed in the last round is not run (nothing would read its output).
import { createTool } from '../../sandbox/tool.ts';
import { type ChatClient, type ChatMessage, dataUrl } from '../chat-client.ts';
import { type BenchItem, questionOf, type Task } from '../types.ts';

export const SYSTEM_PROMPT = `You are a careful assistant who solves visual problems step by step and may edit the image while you think.

You can write Python code that draws on the image: auxiliary lines, circles, marked points, shaded regions, labels or crops. The code runs in a sandbox where the variable image_path holds the path of the input image (a read-only copy; PIL, numpy, matplotlib and OpenCV are available). Save the edited image to a new file in the working folder (for example processed.png) and print its path. The saved image, or an error message starting with "Sandbox for", is returned to you so you can keep reasoning on it.

Wrap every program like this:
<code>
\`\`\`python
# your code
\`\`\`
</code>

Format your whole reply as:
<think>your reasoning, including any code</think>
<answer>your final answer</answer>`;

export const STOP_STRINGS = ['</code>', '</answer>'];

export interface ProtocolOptions {
  model: string;
  systemPrompt: string;
  /** Generation rounds of Interactive Reasoning (paper 5). */
  irRounds: number;
  temperature: number;
}

export interface TaskRun {
  /** The trajectory: rounds and sandbox outputs, as our in-process eval writes it. */
  text: string;
  /** The image after the last successful call (the original when none ran): what Perception and IGI are judged on. */
  image: Uint8Array;
  rounds: number;
  calls: { lang: string | null; ok: boolean }[];
  /** The last round ended on </answer>. */
  answered: boolean;
  usage: { prompt: number; completion: number };
}


/** The stop string a completion ended on: the server's word when it gives one, else the tag left open. */
function endedOn(content: string, finish: string | null, stopReason: string | null | undefined): string | null {
  if (finish !== 'stop') return null;
  if (stopReason !== undefined) return stopReason !== null && STOP_STRINGS.includes(stopReason) ? stopReason : null;
  const open = (tag: string) => content.lastIndexOf(`<${tag}>`) > content.lastIndexOf(`</${tag}>`);
  return open('code') ? '</code>' : open('answer') ? '</answer>' : null;
}

/** Runs one (item, task) to its end. The sandbox's id is `<item>/<task>`, as in the in-process eval. */
export async function runTask(client: ChatClient, item: BenchItem, task: Task, o: ProtocolOptions): Promise<TaskRun> {
  const maxRounds = task === 'reasoning' ? o.irRounds : 2;
  const tool = createTool({ id: `${item.id}/${task}`, image: item.image, sceneSize: item.truth ? { width: item.truth.width, height: item.truth.height } : undefined });
  const messages: ChatMessage[] = [
    ...(o.systemPrompt ? [{ role: 'system' as const, content: o.systemPrompt }] : []),
    { role: 'user', content: [{ type: 'image_url', image_url: { url: dataUrl(item.image) } }, { type: 'text', text: questionOf(item, task)! }] },
  ];
  const pieces: string[] = [];
  const calls: TaskRun['calls'] = [];
  const usage = { prompt: 0, completion: 0 };
  let image: Uint8Array = item.image;
  let rounds = 0;
  let stop: string | null = null;
  while (rounds < maxRounds) {
    rounds++;
    const reply = await client.complete({ model: o.model, messages, temperature: o.temperature, stop: STOP_STRINGS });
    usage.prompt += reply.usage?.prompt_tokens ?? 0;
    usage.completion += reply.usage?.completion_tokens ?? 0;
    stop = endedOn(reply.content, reply.finishReason, reply.stopReason);
    const segment = reply.content + (stop ?? '');
    messages.push({ role: 'assistant', content: segment });
    pieces.push(segment);
    if (stop !== '</code>' || rounds >= maxRounds) break;
    const result = await tool.run(segment);
    calls.push({ lang: result.lang, ok: result.ok });
    if (result.ok && result.images.length > 0) {
      image = result.images[0]!;
      messages.push({ role: 'user', content: [{ type: 'image_url', image_url: { url: dataUrl(image) } }, ...(result.text ? [{ type: 'text' as const, text: result.text.slice(0, 4000) }] : [])] });
      pieces.push('<sandbox_output> <image> </sandbox_output>');
    } else {
      const text = result.ok ? result.text.slice(0, 4000) : result.message;
      messages.push({ role: 'user', content: text });
      pieces.push(`<sandbox_output> ${text} </sandbox_output>`);
    }
  }
  return { text: pieces.filter((p) => p.trim() !== '').join(' '), image, rounds, calls, answered: stop === '</answer>', usage };
}
