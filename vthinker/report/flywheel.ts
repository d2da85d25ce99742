// The data flywheel: how the knowledge system grew over evolution rounds (evolve), and what the checker kept,
// repaired and caught (verify), with one contact sheet of accepted samples.
import { Artifact, formatValue, html, type Html, percent, type ReportContext, type ReportSection, table } from '@vthinker/engine/report';
import type { RoundRecord } from '../knowledge/evolve.ts';
import type { VerifyStats } from '../verify/repair.ts';

type Size = Pick<RoundRecord, 'concepts' | 'tools' | 'nodes' | 'depth'>;
/** evolve's growth.json (stages/evolve.ts). */
interface Growth { seed: Size; rounds: RoundRecord[] }
/** verify's report.json (stages/verify.ts): the checker's statistics and how it handled the planted mistakes. */
type VerifyReport = VerifyStats & { checker: { byKind: Record<string, { planted: number; handled: number }>; recall: number; falseRejects: number } };

const MEASURES = ['concepts', 'tools', 'nodes'] as const;

async function evolution(ctx: ReportContext): Promise<Html> {
  const growth = ctx.need('evolve', 'growth');
  if (!(growth instanceof Artifact)) return growth;
  const g = growth.json<Growth>();
  const last = g.rounds.at(-1) ?? { round: 0, ...g.seed };
  const sizes = [{ round: 0, ...g.seed }, ...g.rounds].flatMap((r) => MEASURES.map((measure) => ({ round: r.round, measure, count: r[measure] })));
  const chart = await ctx.chart({
    title: 'Knowledge system size per evolution round (round 0 = seed)',
    data: { values: sizes },
    facet: { field: 'measure', type: 'nominal', title: null, sort: [...MEASURES] },
    columns: 3,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 200,
      height: 160,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'round', type: 'quantitative', title: 'evolution round', axis: { tickMinStep: 1, format: 'd' } },
        y: { field: 'count', type: 'quantitative', title: 'count' },
      },
    },
  });
  return html`<p>${g.rounds.length} rounds: ${g.seed.nodes} -> ${last.nodes} knowledge nodes (${(last.nodes / g.seed.nodes).toFixed(1)}x),
${g.seed.concepts} -> ${last.concepts} concepts, ${g.seed.tools} -> ${last.tools} tools.</p>
${chart}
${table<RoundRecord>([
    { title: 'round', cell: (r) => r.round, numeric: true },
    ...MEASURES.map((m) => ({ title: m, cell: (r: RoundRecord) => r[m], numeric: true })),
    { title: 'depth', cell: (r) => r.depth, numeric: true },
    { title: 'samples', cell: (r) => r.samples, numeric: true },
    { title: 'concepts added', cell: (r) => r.added.concepts, numeric: true },
    { title: 'tools added', cell: (r) => r.added.tools, numeric: true },
  ], g.rounds)}`;
}

function verification(ctx: ReportContext): Html {
  const report = ctx.need('verify', 'report');
  if (!(report instanceof Artifact)) return report;
  const r = report.json<VerifyReport>();
  const kinds = Object.entries(r.checker.byKind).sort(([a], [b]) => (a < b ? -1 : 1));
  const reasons = Object.entries(r.rejectsByReason).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  const sheets = ctx.artifact('verify', 'sheets');
  const sheet = sheets?.files().find((f) => f.rel === 'samples.png') ?? sheets?.files()[0];
  return html`<p>${formatValue(r.total)} samples checked: ${formatValue(r.accepted)} accepted, ${formatValue(r.rejected)} rejected, ${formatValue(r.repaired)} repaired.
Planted creator mistakes caught: <b>${percent(r.checker.recall)}</b>; clean samples rejected: <b>${r.checker.falseRejects}</b>.</p>
<div class="row"><div>
${table<[string, number]>([{ title: 'checker axis', cell: ([a]) => a }, { title: 'pass rate', cell: ([, v]) => percent(v), numeric: true }], Object.entries(r.passRate), 'Pass rate per axis')}
${table<[string, { planted: number; handled: number }]>([
    { title: 'planted mistake', cell: ([k]) => k },
    { title: 'planted', cell: ([, k]) => k.planted, numeric: true },
    { title: 'caught', cell: ([, k]) => k.handled, numeric: true },
    { title: 'caught %', cell: ([, k]) => percent(k.planted ? k.handled / k.planted : 1), numeric: true },
  ], kinds, 'Planted creator mistakes')}
${table<[string, number]>([{ title: 'reject reason', cell: ([k]) => k }, { title: 'samples', cell: ([, n]) => n, numeric: true }], reasons, 'Rejects by reason')}
</div>${sheets && sheet ? ctx.image(sheets, sheet.rel, `verify/sheets/${sheet.rel}: each sample's figure, then the figure with its auxiliary construction`) : ''}</div>`;
}

export const flywheel: ReportSection = {
  id: 'flywheel',
  title: 'Data flywheel',
  async render(ctx) {
    return html`<h3>Knowledge evolution (evolve)</h3>
${await evolution(ctx)}
<h3>Verification (verify)</h3>
${verification(ctx)}`;
  },
};
