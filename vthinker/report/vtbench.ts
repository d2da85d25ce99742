// VTBench: the paper-format table (Perception / IGI / IR per variant, 95% intervals, deltas against the base
// model), the paper's own rows for scale, per-domain scores, and the gallery of judged outputs when there is one.
// Before any variant is scored, the benchmark's build report (items, judge self-check) is what there is to show.
import { Artifact, type Column, html, type Html, type ReportContext, type ReportSection, table } from '@vthinker/engine/report';

interface Score { score: number; lo: number; hi: number; n: number }
interface DomainScore { variant: string; task: string; domain: string; score: number; n: number }
export interface Scores {
  variants: Record<string, Record<string, Score>>;
  paper?: Array<{ model: string } & Record<string, number | string>>;
  domains?: DomainScore[];
}

const TASK_TITLES: Record<string, string> = { perception: 'Perception', igi: 'IGI', ir: 'IR' };
const BASE = 'base';

/** Known tasks in the paper's order, then any others by name. */
function tasksOf(scores: Scores): string[] {
  const all = new Set(Object.values(scores.variants).flatMap((v) => Object.keys(v)));
  return [...Object.keys(TASK_TITLES).filter((t) => all.delete(t)), ...[...all].sort()];
}

/** `base` first, then the variants by name. */
const variantOrder = (names: Iterable<string>) => [...new Set(names)].sort((a, b) => (a === BASE ? -1 : b === BASE ? 1 : a < b ? -1 : a > b ? 1 : 0));
const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}`;
const taskTitle = (t: string) => TASK_TITLES[t] ?? t;

function measuredTable(scores: Scores, tasks: readonly string[]): Html {
  const base = scores.variants[BASE];
  const cell = (variant: string, task: string): Html | string => {
    const s = scores.variants[variant]![task];
    if (!s) return '-';
    const delta = base?.[task] && variant !== BASE ? html` <b>(${signed(s.score - base[task]!.score)})</b>` : '';
    return html`${s.score.toFixed(1)} <span class="ci">[${s.lo.toFixed(1)}, ${s.hi.toFixed(1)}]</span>${delta}`;
  };
  const columns: Column<string>[] = [
    { title: 'variant', cell: (v) => v },
    ...tasks.map((t) => ({ title: taskTitle(t), cell: (v: string) => cell(v, t), numeric: true })),
  ];
  const n = tasks.map((t) => `${taskTitle(t)} ${base?.[t]?.n ?? Object.values(scores.variants)[0]?.[t]?.n ?? '?'}`).join(', ');
  return html`${table(columns, variantOrder(Object.keys(scores.variants)), 'Ours: accuracy % [95% interval] (difference to base)')}
<p class="sources">items per task: ${n}</p>`;
}

function paperTable(rows: NonNullable<Scores['paper']>, tasks: readonly string[]): Html {
  const base = rows.find((r) => /\(base\)/i.test(r.model)) ?? rows[0]!;
  const value = (r: (typeof rows)[number], t: string) => (typeof r[t] === 'number' ? (r[t] as number) : undefined);
  const cell = (r: (typeof rows)[number], t: string): Html | string => {
    const v = value(r, t);
    const b = value(base, t);
    if (v === undefined) return '-';
    return html`${v.toFixed(1)}${r !== base && b !== undefined ? html` <b>(${signed(v - b)})</b>` : ''}`;
  };
  return table([{ title: 'model', cell: (r) => r.model }, ...tasks.map((t) => ({ title: taskTitle(t), cell: (r: (typeof rows)[number]) => cell(r, t), numeric: true }))], rows,
    "The paper's VTBench numbers (7B models on the real benchmark; for scale, not comparable one to one)");
}

async function domainChart(ctx: ReportContext, domains: readonly DomainScore[], tasks: readonly string[]): Promise<Html> {
  const variants = variantOrder(domains.map((d) => d.variant));
  return ctx.chart({
    title: 'Accuracy per domain',
    data: { values: domains.map((d) => ({ ...d, task: taskTitle(d.task) })) },
    facet: { column: { field: 'task', type: 'nominal', title: null, sort: tasks.map(taskTitle) } },
    spec: {
      width: 230,
      height: 180,
      mark: 'bar',
      encoding: {
        x: { field: 'domain', type: 'nominal', title: 'domain', axis: { labelAngle: -30 } },
        xOffset: { field: 'variant', type: 'nominal', sort: variants },
        y: { field: 'score', type: 'quantitative', title: 'accuracy (%)', scale: { domain: [0, 100] } },
        color: { field: 'variant', type: 'nominal', title: 'variant', sort: variants },
      },
    },
  });
}

interface BuildReport { items: number; byDomain?: Record<string, number>; judgeSelfCheck?: Record<string, unknown> }

/**
 * Before scores exist: the benchmark's size and its judges' self-check, from the stage that builds the benchmark
 * (`benchmark`, or `vtbench` in pipelines where one stage does both).
 */
function benchBuilt(ctx: ReportContext): Html {
  const report = (ctx.artifact('benchmark', 'report.json') ?? ctx.artifact('vtbench', 'report.json'))?.json<BuildReport>();
  if (!report) return html``;
  const checks = Object.entries(report.judgeSelfCheck ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number');
  return html`<p>Benchmark built: ${report.items} items (${Object.entries(report.byDomain ?? {}).map(([d, n]) => `${d} ${n}`).join(', ')}).</p>
${checks.length ? table<[string, number]>([{ title: 'judge', cell: ([t]) => t }, { title: 'ground-truth outputs scored %', cell: ([, v]) => v, numeric: true }], checks, 'Judge self-check') : ''}`;
}

export const vtbench: ReportSection = {
  id: 'vtbench',
  title: 'VTBench',
  async render(ctx) {
    const scores = ctx.need('vtbench', 'scores.json');
    if (!(scores instanceof Artifact)) return html`${scores}${benchBuilt(ctx)}`;
    const s = scores.json<Scores>();
    const tasks = tasksOf(s);
    const gallery = ctx.artifact('vtbench', 'gallery');
    return html`${measuredTable(s, tasks)}
${s.paper?.length ? paperTable(s.paper, tasks) : ''}
${s.domains?.length ? await domainChart(ctx, s.domains, tasks) : ''}
${gallery ? html`<h3>Gallery</h3>${ctx.gallery(gallery, 24)}` : ''}`;
  },
};
