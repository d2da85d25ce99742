// Trajectories in the paper's literal format: building them from samples (for cold-start SFT), reading generated ones
// back (segments, strict format, final answer), the rl1 loss mask and which image each <image> token stands for.
//
// A sequence is  <bos> <image> question  <think> thought <code> ops </code> <sandbox_output> <image> </sandbox_output>
// ... conclusion </think> <answer> answer </answer> <eos>. The prompt's <image> is the original (image 0); the k-th
// <image> after it is the view returned by the k-th SUCCESSFUL call (a failed call returns <error>, no image), so
// image indices line up with the episode's image list.
import { formatProgram } from '../scene/drawlang.ts';
import type { DrawProgram } from '../scene/types.ts';
import type { Tokenizer } from './tokenizer.ts';

/** What a training trajectory says, independent of how a sample stores it. */
export interface TrajectorySpec {
  question: string;
  /** One entry per tool call: the reasoning written before the call, then its operations. */
  calls: { thought: string; ops: DrawProgram }[];
  /** The reasoning after the last call (all of it when there is no call): what the edited image shows. */
  conclusion: string;
  answer: string;
}

/** The fields of a flywheel sample a trajectory needs (structurally compatible with synth's Sample). */
export interface SampleLike {
  question: string;
  thought: { before: string; after: string };
  overlay?: DrawProgram;
  steps?: readonly { ops: DrawProgram }[];
  answer: string;
}

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

/**
 * A sample's trajectory. Single-call by default: the whole overlay in one <code> block, thought.before before it,
 * thought.after after it. With multiStep and 2+ steps, each step is its own call; thought.before is split on " ; "
 * (the flywheel joins one before-thought per step that way) when the counts match, else it all precedes call 1.
 */
export function specFromSample(sample: SampleLike, options: { multiStep?: boolean } = {}): TrajectorySpec {
  const steps = (sample.steps ?? []).filter((s) => s.ops.length > 0);
  const overlay = sample.overlay ?? steps.flatMap((s) => s.ops);
  const base = { question: sample.question, conclusion: sample.thought.after, answer: sample.answer };
  if (options.multiStep && steps.length >= 2) {
    const parts = sample.thought.before.split(' ; ');
    const thoughts = parts.length === steps.length ? parts : [sample.thought.before, ...steps.slice(1).map(() => '')];
    return { ...base, calls: steps.map((s, i) => ({ thought: thoughts[i]!, ops: s.ops })) };
  }
  if (overlay.length === 0) return { ...base, calls: [], conclusion: squash(`${sample.thought.before} ${sample.thought.after}`) };
  return { ...base, calls: [{ thought: sample.thought.before, ops: overlay }] };
}

/** The prompt text: the original image, then the question. */
export function promptText(question: string): string {
  return squash(`<image> ${question}`);
}

/** The response text of a spec (every call shown as successful, as in the SFT data). */
export function responseText(spec: TrajectorySpec): string {
  const parts = ['<think>'];
  for (const call of spec.calls) {
    parts.push(call.thought, '<code>', formatProgram(call.ops), '</code>', '<sandbox_output> <image> </sandbox_output>');
  }
  parts.push(spec.conclusion, '</think>', '<answer>', spec.answer, '</answer>');
  return parts.map((p) => p.trim()).filter((p) => p !== '').join(' ').replace(/ +/g, ' ');
}

export interface MaskOptions {
  /** With 2+ tool calls, supervise only the final rounds (default true, as the paper's cold start). */
  finalRoundsOnly?: boolean;
}

/**
 * The rl1 loss mask, 1 where a token is supervised. Zero: the prompt (positions < promptLength), <pad>, and every
 * sandbox output from <sandbox_output> through </sandbox_output> inclusive (the environment writes those, never the
 * model). With finalRoundsOnly and n >= 2 sandbox outputs, the response before the end of output n-1 is zero too:
 * what stays supervised are the last two generation rounds, i.e. the reasoning and code of the last call and the
 * conclusion, answer and <eos> after its output.
 */
export function lossMask(tok: Tokenizer, ids: readonly number[], promptLength: number, options: MaskOptions = {}): number[] {
  const { sandbox, sandboxEnd, pad } = tok.ids;
  const mask = ids.map((id, i) => (i >= promptLength && id !== pad ? 1 : 0));
  const ends: number[] = [];
  let open = -1;
  for (let i = promptLength; i < ids.length; i++) {
    if (ids[i] === sandbox && open < 0) open = i;
    if (open >= 0) mask[i] = 0;
    if (ids[i] === sandboxEnd && open >= 0) {
      ends.push(i);
      open = -1;
    }
  }
  if ((options.finalRoundsOnly ?? true) && ends.length >= 2) {
    for (let i = promptLength; i <= ends[ends.length - 2]!; i++) mask[i] = 0;
  }
  return mask;
}

/** For each position, the index of the image an <image> token stands for (counting from 0 in order), else -1. */
export function imageSlots(tok: Tokenizer, ids: readonly number[]): number[] {
  let k = 0;
  return ids.map((id) => (id === tok.ids.image ? k++ : -1));
}

/** A training sequence with everything the trainer needs alongside it. */
export interface BuiltTrajectory {
  prompt: string;
  response: string;
  /** <bos> prompt response <eos>. */
  ids: number[];
  /** Tokens before the response (<bos> and the prompt). */
  promptLength: number;
  mask: number[];
  imageIndex: number[];
  /** Words that became <unk> (empty for grammar-conformant samples). */
  unknown: string[];
  /** Number of tool calls. */
  calls: number;
}

export function buildTrajectory(tok: Tokenizer, spec: TrajectorySpec, options: MaskOptions & { strict?: boolean } = {}): BuiltTrajectory {
  const prompt = promptText(spec.question);
  const response = responseText(spec);
  const p = tok.encodeWithStats(prompt, options);
  const r = tok.encodeWithStats(response, options);
  const ids = [tok.ids.bos, ...p.ids, ...r.ids, tok.ids.eos];
  const promptLength = 1 + p.ids.length;
  return {
    prompt, response, ids, promptLength,
    mask: lossMask(tok, ids, promptLength, options),
    imageIndex: imageSlots(tok, ids),
    unknown: [...p.unknown, ...r.unknown],
    calls: spec.calls.length,
  };
}

// ---- reading generated trajectories ----

export type SegmentKind = 'think' | 'code' | 'sandbox' | 'answer' | 'other';
export interface Segment { kind: SegmentKind; text: string }

export interface ParsedTrajectory {
  segments: Segment[];
  /** Code of every complete <code> block, in order. */
  codes: string[];
  /** Content of every complete <sandbox_output> block, trimmed ("<image>" when the call returned an image). */
  sandboxOutputs: string[];
  /** Content of the last complete <answer> block, trimmed; null when there is none. */
  answer: string | null;
  /** Think text after the last sandbox output (all think text when there was none), whitespace-squashed. */
  conclusion: string;
  format: FormatCheck;
}

export interface FormatCheck { ok: boolean; problem?: string }

const TAGS = /<\/?(?:think|code|sandbox_output|answer)>/g;

/** Splits a response into segments by its tags; text in unclosed blocks belongs to the open block. */
export function parseTrajectory(text: string): ParsedTrajectory {
  const segments: Segment[] = [];
  const codes: string[] = [];
  const sandboxOutputs: string[] = [];
  let answer: string | null = null;
  const stack: SegmentKind[] = [];
  const top = (): SegmentKind => stack[stack.length - 1] ?? 'other';
  let last = 0;
  const add = (s: string) => {
    if (s.trim() !== '') segments.push({ kind: top(), text: s });
  };
  for (const m of text.matchAll(TAGS)) {
    const between = text.slice(last, m.index!);
    add(between);
    last = m.index! + m[0].length;
    const closing = m[0][1] === '/';
    const name = m[0].replace(/[</>]/g, '');
    const kind: SegmentKind = name === 'sandbox_output' ? 'sandbox' : (name as SegmentKind);
    if (!closing) {
      stack.push(kind);
      continue;
    }
    if (top() !== kind) continue; // a stray closing tag: the format check reports it
    stack.pop();
    if (kind === 'code') codes.push(between.trim());
    else if (kind === 'sandbox') sandboxOutputs.push(between.trim());
    else if (kind === 'answer') answer = between.trim();
  }
  add(text.slice(last));
  const lastSandbox = segments.map((s) => s.kind).lastIndexOf('sandbox');
  const conclusion = squash(segments.slice(lastSandbox + 1).filter((s) => s.kind === 'think').map((s) => s.text).join(' '));
  return { segments, codes, sandboxOutputs, answer, conclusion, format: checkFormat(text) };
}

/**
 * The strict layout of the paper's format reward: the response is exactly <think> ... </think> <answer> ...
 * </answer> (only whitespace around and between), one of each of those four tags, no tags inside the answer, and
 * inside the think block every <code> is closed and immediately followed by one <sandbox_output> ...
 * </sandbox_output>, with no other nesting.
 */
export function checkFormat(text: string): FormatCheck {
  const bad = (problem: string): FormatCheck => ({ ok: false, problem });
  const t = text.trim();
  if (!t.startsWith('<think>')) return bad('does not start with <think>');
  if (!t.endsWith('</answer>')) return bad('does not end with </answer>');
  for (const tag of ['<think>', '</think>', '<answer>', '</answer>']) {
    const n = t.split(tag).length - 1;
    if (n !== 1) return bad(`${tag} appears ${n} times, expected once`);
  }
  const thinkEnd = t.indexOf('</think>');
  const answerStart = t.indexOf('<answer>');
  if (answerStart < thinkEnd || t.slice(thinkEnd + '</think>'.length, answerStart).trim() !== '') return bad('text between </think> and <answer>');
  const inner = t.slice('<think>'.length, thinkEnd);
  const answer = t.slice(answerStart + '<answer>'.length, t.length - '</answer>'.length);
  if (/<\/?(?:code|sandbox_output|image|error)>/.test(answer)) return bad('tags inside <answer>');
  // Inside think: (code sandbox)* pairs, in order, never nested.
  let expect: 'code' | '/code' | 'sandbox' | '/sandbox' = 'code';
  let lastEnd = 0;
  for (const m of inner.matchAll(/<\/?(?:code|sandbox_output)>/g)) {
    const tag = m[0];
    const gap = inner.slice(lastEnd, m.index);
    lastEnd = m.index! + tag.length;
    if (expect === 'code' && tag === '<code>') expect = '/code';
    else if (expect === '/code' && tag === '</code>') expect = 'sandbox';
    else if (expect === 'sandbox' && tag === '<sandbox_output>') {
      if (gap.trim() !== '') return bad('text between </code> and <sandbox_output>');
      expect = '/sandbox';
    } else if (expect === '/sandbox' && tag === '</sandbox_output>') expect = 'code';
    else return bad(`unexpected ${tag} inside <think>`);
  }
  if (expect !== 'code') return bad(`unclosed ${expect === '/code' ? '<code>' : expect === 'sandbox' ? 'code call (no <sandbox_output>)' : '<sandbox_output>'}`);
  return { ok: true };
}
