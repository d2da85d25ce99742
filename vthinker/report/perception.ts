// Perception alignment: validation accuracy per level before and after training, the training curve, and the
// error-vector sheet (true point, prediction, the vector between them).
import { Artifact, formatValue, html, type Html, percent, type ReportContext, type ReportSection, table } from '@vthinker/engine/report';
import type { LevelScore, PerceptionReport } from '../train/perception.ts';
import { curvesSpec, numericColumns, type Row } from './specs.ts';

/** perception's eval.json (vthinker/train/perception.ts). */
type Eval = Pick<PerceptionReport, 'steps' | 'trainCount' | 'valCount' | 'parameters' | 'before' | 'after' | 'evals'>;

async function accuracy(ctx: ReportContext, evaluation: Artifact): Promise<Html> {
  const e = evaluation.json<Eval>();
  const levels: Array<[string, LevelScore, LevelScore]> = [
    ['overall', e.before.overall, e.after.overall],
    ...Object.entries(e.after.levels).map(([l, after]): [string, LevelScore, LevelScore] => [l, (e.before.levels as Record<string, LevelScore>)[l] ?? e.before.overall, after]),
  ];
  const bars = levels.flatMap(([level, b, a]) => [{ level, when: 'before', accuracy: b.accuracy }, { level, when: 'after', accuracy: a.accuracy }]);
  const chart = await ctx.chart({
    title: `Validation accuracy within ${e.after.tolerancePx} px, before and after training`,
    data: { values: bars },
    width: 320,
    height: 180,
    mark: 'bar',
    encoding: {
      x: { field: 'level', type: 'nominal', title: 'level', sort: levels.map(([l]) => l), axis: { labelAngle: 0 } },
      xOffset: { field: 'when', type: 'nominal', sort: ['before', 'after'] },
      y: { field: 'accuracy', type: 'quantitative', title: 'accuracy', axis: { format: '%' }, scale: { domain: [0, 1] } },
      color: { field: 'when', type: 'nominal', title: 'training', sort: ['before', 'after'] },
    },
  });
  const px = (v: number | null) => (v === null ? 'n/a' : v.toFixed(1));
  return html`<p>${formatValue(e.steps)} steps, ${formatValue(e.trainCount)} training / ${formatValue(e.valCount)} validation questions, ${formatValue(e.parameters)} parameters.</p>
<div class="row">${chart}
${table<[string, LevelScore, LevelScore]>([
    { title: 'level', cell: ([l]) => l },
    { title: 'n', cell: ([, , a]) => a.count, numeric: true },
    { title: 'accuracy before', cell: ([, b]) => percent(b.accuracy), numeric: true },
    { title: 'accuracy after', cell: ([, , a]) => percent(a.accuracy), numeric: true },
    { title: 'mean error after (px)', cell: ([, , a]) => px(a.meanErrorPx), numeric: true },
  ], levels)}</div>
${e.evals.length ? await ctx.chart(curvesSpec('Validation accuracy during training', e.evals.map((v) => ({ step: v.step, ...v.metrics })), 'step', accuracyColumns(e.evals), 'training step')) : ''}`;
}

const accuracyColumns = (evals: Eval['evals']) => Object.keys(evals[0]!.metrics).filter((k) => k.endsWith('accuracy'));

export const perception: ReportSection = {
  id: 'perception',
  title: 'Perception alignment',
  async render(ctx) {
    const evaluation = ctx.need('perception', 'eval');
    if (!(evaluation instanceof Artifact)) return evaluation;
    const curve = ctx.artifact('perception', 'curve');
    const rows = curve?.rows<Row>() ?? [];
    const sheets = ctx.artifact('perception', 'sheets');
    return html`${await accuracy(ctx, evaluation)}
${rows.length ? await ctx.chart(curvesSpec('Training curve (masked NLL of the response, learning rate)', rows, 'step', numericColumns(rows, 'step'), 'training step')) : ctx.note('no training curve')}
${sheets?.files().some((f) => f.rel === 'errors.png') ? ctx.image(sheets, 'errors.png', 'validation figures: true point (green ring), prediction (red ring), error vector (grey)') : ''}`;
  },
};
