// The interactive curriculum: rl1 (cold-start SFT) and rl2 (GRPO), then any other stage that logs a training curve
// (a base model, ablations). Each curve.jsonl is drawn column by column (loss, rewards, KL, tool calls, throughput:
// whatever it records), with first / last / min / max values.
import { html, type Html, type ReportContext, type ReportSection, table } from '@vthinker/engine/report';
import { curvesSpec, numericColumns, type Row } from './specs.ts';

const STAGES = [
  { stage: 'rl1', title: 'Stage 1: cold-start interactive SFT (rl1)' },
  { stage: 'rl2', title: 'Stage 2: GRPO in the sandbox (rl2)' },
] as const;
const CURVE = 'curve.jsonl';

async function curve(ctx: ReportContext, stage: string): Promise<Html> {
  if (!ctx.ran(stage)) return ctx.notRun(stage);
  const rows = ctx.artifact(stage, CURVE)?.rows<Row>();
  if (!rows?.length) {
    // Until the stage trains, it records its plan; say what it says rather than nothing.
    const status = ctx.artifact(stage, 'plan.json')?.json<{ status?: unknown }>().status;
    return ctx.note(`${stage} wrote no training curve (curve.jsonl) yet${typeof status === 'string' ? `: ${status}` : ''}.`);
  }
  const x = 'step' in rows[0]! ? 'step' : '#';
  const indexed: Row[] = x === 'step' ? rows : rows.map((r, i) => ({ ...r, '#': i + 1 }));
  const columns = numericColumns(indexed, x);
  if (!columns.length) return ctx.note(`${stage}/curve.jsonl has no numeric columns`);
  const stats = columns.map((c) => {
    const values = indexed.map((r) => r[c]).filter((v): v is number => typeof v === 'number');
    return { c, first: values[0]!, last: values.at(-1)!, min: values.reduce((a, b) => Math.min(a, b)), max: values.reduce((a, b) => Math.max(a, b)) };
  });
  return html`<p>${rows.length} logged steps.</p>
${await ctx.chart(curvesSpec(`${stage}: every logged column`, indexed, x, columns, x === 'step' ? 'training step' : 'logged row'))}
${table<(typeof stats)[number]>([
    { title: 'column', cell: (s) => s.c },
    { title: 'first', cell: (s) => s.first, numeric: true },
    { title: 'last', cell: (s) => s.last, numeric: true },
    { title: 'min', cell: (s) => s.min, numeric: true },
    { title: 'max', cell: (s) => s.max, numeric: true },
  ], stats)}`;
}

export const curriculum: ReportSection = {
  id: 'curriculum',
  title: 'Interactive curriculum',
  async render(ctx) {
    const parts: Html[] = [];
    for (const s of STAGES) parts.push(html`<h3>${s.title}</h3>\n${await curve(ctx, s.stage)}`);
    // Other training runs (a direct-answer base, ablations) appear once they have written a curve.
    const shown = new Set<string>([...STAGES.map((s) => s.stage), 'perception']);
    for (const stage of ctx.stages.filter((s) => !shown.has(s) && ctx.writes(s, CURVE))) {
      parts.push(html`<h3>${stage}</h3>\n${await curve(ctx, stage)}`);
    }
    return html`${parts}`;
  },
};
