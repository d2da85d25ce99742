// Looking at one rollout at a time: the rollout records of a training stage (rollouts.jsonl) keep the text and the
// code of every call, not the pictures. The pictures come back by replaying: a fresh sandbox on the sample's scene
// (verify/train.jsonl, by the sample id in the rollout id) runs the rollout's successful calls in order, which gives
// the views the policy got back pixel for pixel (failed calls change nothing in a sandbox, so they are skipped).
import { episodeOf } from '../../vthinker/curriculum/episode.ts';
import { episodeViews, originalImage } from '../../vthinker/curriculum/examples.ts';
import type { RolloutRecord } from '../../vthinker/curriculum/sheets.ts';
import { createSandbox } from '../../vthinker/sandbox/index.ts';
import { contactSheet, encodePng, type RasterImage } from '../../vthinker/scene/render.ts';
import type { Sample } from '../../vthinker/synth/types.ts';
import { inlineCode } from './display.ts';

export type { RolloutRecord };

/** `<sample id>/<kind>` -> the sample id. */
export const sampleIdOf = (rolloutId: string): string => rolloutId.slice(0, rolloutId.lastIndexOf('/'));

/** Successful calls of a rollout. */
export const okCalls = (r: RolloutRecord): number => r.calls.filter((c) => c.ok).length;

export interface Replayed {
  original: RasterImage;
  /** One per successful call, in order: its code and the view the sandbox returned (null: the replay failed). */
  views: Array<{ call: number; code: string; image: RasterImage | null; message?: string }>;
  /** The sample's own construction for this task, drawn by the same sandbox (null when it cannot be drawn). */
  reference: RasterImage | null;
}

/** Re-runs the rollout's successful calls in a fresh sandbox on the sample's scene. */
export function replay(r: RolloutRecord, sample: Sample): Replayed {
  const original = originalImage(sample.scene);
  const sandbox = createSandbox({ id: r.id, image: original, sceneSize: sample.scene });
  const views: Replayed['views'] = [];
  r.calls.forEach((c, i) => {
    if (!c.ok) return;
    const out = sandbox.execute(c.code);
    views.push(out.ok ? { call: i + 1, code: c.code, image: out.image } : { call: i + 1, code: c.code, image: null, message: out.message });
  });
  let reference: RasterImage | null = null;
  try {
    reference = episodeViews(episodeOf(sample, r.kind)).at(-1) ?? null;
  } catch {
    reference = null;
  }
  return { original, views, reference };
}

const oneLine = (s: string, max: number) => {
  const flat = s.replace(/\s*\n\s*/g, '; ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** One row of pictures: original | the view after each successful call | the reference construction. PNG bytes. */
export function rolloutStrip(r: RolloutRecord, sample: Sample, cell = 192): Uint8Array {
  const { original, views, reference } = replay(r, sample);
  const blank = { width: original.width, height: original.height, data: new Uint8ClampedArray(original.data.length).fill(255) };
  const images: RasterImage[] = [original, ...views.map((v) => v.image ?? blank), ...(reference ? [reference] : [])];
  const captions = [
    'original',
    ...views.map((v) => (v.image ? `call ${v.call}: ${oneLine(v.code, 26)}` : `call ${v.call}: replay failed`)),
    ...(reference ? ['reference construction'] : []),
  ];
  return new Uint8Array(encodePng(contactSheet([images], { captions: [captions], cell, fontSize: 12 })));
}

/**
 * A few rollouts worth reading: per kind, the ones with the most successful calls first, then correct ones, then the
 * most calls, then the highest reward (ties in file order). The same records give the same choice.
 */
export function pickRollouts(records: readonly RolloutRecord[], perKind: number): RolloutRecord[] {
  const kinds = [...new Set(records.map((r) => r.kind))];
  return kinds.flatMap((kind) =>
    records
      .map((r, i) => ({ r, i }))
      .filter(({ r }) => r.kind === kind)
      .sort((a, b) =>
        okCalls(b.r) - okCalls(a.r) || Number(b.r.reward.correct) - Number(a.r.reward.correct) || b.r.calls.length - a.r.calls.length ||
        b.r.reward.total - a.r.reward.total || a.i - b.i)
      .slice(0, perKind)
      .map(({ r }) => r),
  );
}

/** The rollout's text cut into turns: each turn ends with the sandbox's reply (the last one with the answer or the cut). */
export function turns(text: string): string[] {
  return text.split(/(?<=<\/sandbox_output>)\s*/).map((t) => t.trim()).filter((t) => t !== '');
}

const fixed = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : String(v));

/** Markdown for one rollout: what was asked, what came back, the reward terms, each call, then the text by turn. */
export function rolloutMarkdown(r: RolloutRecord, n: number): string {
  const w = r.reward;
  const verdict = w.correct ? 'right' : 'wrong';
  return [
    `#### ${n}. ${r.kind} · ${r.domain} / ${r.family} · ${verdict}, reward ${fixed(w.total)}`,
    '',
    `**${r.kind === 'instruction' ? 'instruction' : 'question'}** ${inlineCode(r.question)} · **gold** ${inlineCode(r.gold)} · **answer** ${w.answer === null ? '(none)' : inlineCode(w.answer)}`,
    '',
    `reward terms: format ${fixed(w.format)}, accuracy ${fixed(w.accuracy)}, consistency ${fixed(w.consistency)}, tool ${fixed(w.tool)}` +
      ` · format ${w.formatOk ? 'ok' : `not ok: ${inlineCode(w.formatProblem ?? 'no reason given')}`} · ${r.rounds} round(s), stopped by ${inlineCode(r.stop)}`,
    '',
    r.calls.length
      ? ['| call | code | sandbox |', '|---|---|---|', ...r.calls.map((c, i) => `| ${i + 1} | ${inlineCode(oneLine(c.code, 80) || '(empty)')} | ${c.ok ? 'ok: a new view' : inlineCode(oneLine((c.message ?? '').replace(/^Sandbox for \S+: /, ''), 90))} |`)].join('\n')
      : 'No sandbox call.',
    '',
    '```text',
    ...turns(r.text).map((t, i) => `[turn ${i + 1}] ${t}`),
    '```',
  ].join('\n');
}
