// Showing things in a notebook cell: charts as PNG, tables, images, Markdown.
// Inside Deno's kernel the helpers queue what they show and the cell ends with `await show()`, which sends one
// Markdown bundle (images inlined) and lets it leave before the cell finishes. Why: the kernel sometimes reported a
// cell idle before its display messages were sent, and nbclient then dropped them, so executed copies silently
// lost charts. Outside a kernel (a script, a test) the text form is printed at once.
import * as aq from 'arquero';
import type { Table } from '@vthinker/engine/notebook';
import { toPng, type Spec } from './charts.ts';

type Bundle = Record<string, string>;
const inKernel = () => !!(globalThis as { Deno?: { jupyter?: unknown } }).Deno?.jupyter;
const pending: Array<{ markdown: string; plain: string }> = [];

/** Queues one item for the cell's result (or prints it outside a kernel). */
function display(bundle: Bundle): void {
  const plain = bundle['text/plain'] ?? '';
  const png = bundle['image/png'];
  const markdown = png ? `![${plain.replace(/[[\]]/g, '')}](data:image/png;base64,${png})` : (bundle['text/markdown'] ?? plain);
  if (inKernel()) pending.push({ markdown, plain });
  else console.log(bundle['text/markdown'] ?? plain);
}

interface DenoJupyter { display(bundle: Bundle, options: { raw: boolean }): Promise<void> }

/**
 * End a cell with `await show();`: everything the cell queued goes out as one display message, and the cell then
 * waits a moment so the kernel's I/O thread sends it before the cell reports idle.
 */
export async function show(): Promise<void> {
  const items = pending.splice(0);
  const jupyter = (globalThis as { Deno?: { jupyter?: DenoJupyter } }).Deno?.jupyter;
  if (!items.length || !jupyter) return;
  await jupyter.display({ 'text/markdown': items.map((i) => i.markdown).join('\n\n'), 'text/plain': items.map((i) => i.plain).join('\n') }, { raw: true });
  await new Promise((resolve) => setTimeout(resolve, 200));
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** A vega-lite chart, rendered to PNG. */
export async function chart(spec: Spec): Promise<void> {
  const title = typeof spec.title === 'string' ? spec.title : 'chart';
  display({ 'image/png': base64(await toPng(spec)), 'text/plain': `[chart: ${title}]` });
}

/** An arquero table (its first `limit` rows). */
export async function table(t: Table, limit = 30): Promise<void> {
  const shown = t.numRows() > limit ? `\n\n(${limit} of ${t.numRows()} rows)` : '';
  display({ 'text/markdown': t.toMarkdown({ limit }) + shown, 'text/plain': t.toMarkdown({ limit }) + shown });
}

/** A PNG picture (bytes), with a text caption for plain-text viewers. */
export async function image(png: Uint8Array, caption: string): Promise<void> {
  display({ 'image/png': base64(png), 'text/plain': `[image: ${caption}]` });
}

export async function markdown(text: string): Promise<void> {
  display({ 'text/markdown': text, 'text/plain': text });
}

/** Rows of `{key: count}` objects as a table: handy for the `byDomain`-style records in stats files. */
export function counts(record: Record<string, number>, key: string, value = 'count'): Table {
  return aq.from(Object.entries(record).map(([k, v]) => ({ [key]: k, [value]: v })));
}

/**
 * Text as inline code that is safe in a Markdown table cell: model output is full of `<think>`-like tags (which a
 * Markdown renderer would swallow as HTML) and may hold pipes (which would split the cell) or backticks.
 */
export function inlineCode(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
  if (flat === '') return '` `';
  const fence = '`'.repeat(Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
