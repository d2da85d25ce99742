// Curves (a training stage's loss per step, ...) from several locks overlaid in one vega-lite chart per output. A
// curve output is a file output whose name or file name says "curve" and holds rows of numbers: JSON lines, a JSON
// array or CSV. Its x axis is the `step` column (else `epoch`, `iteration`, `x`, else the row number); every other
// numeric column is a panel, and each lock is a colour.
import { UserError } from './errors.ts';
import type { NamedLock } from './lock-ref.ts';
import type { OutputRecord, Store } from './store.ts';
import type { Spec } from './report/svg.ts';

const X_FIELDS = ['step', 'epoch', 'iteration', 'x'];

export interface Curve {
  /** `stage.output` */
  id: string;
  x: string;
  points: Array<{ run: string; x: number; metric: string; value: number }>;
  /** Locks whose curve is not in this store (computed elsewhere, or collected). */
  absent: string[];
}

export const isCurve = (name: string, out: OutputRecord): boolean =>
  out.kind !== 'dir' && /curve/i.test(`${name} ${out.path}`) && /\.(jsonl|json|csv)$/i.test(out.path);

/** Every curve output of the locks (of `stage` only, when given), with each lock's points. */
export function collectCurves(locks: readonly NamedLock[], store: Store, stage?: string): Curve[] {
  const curves = new Map<string, Curve>();
  for (const { label, lock } of locks) {
    for (const [stageName, entry] of Object.entries(lock.stages)) {
      if (stage && stageName !== stage) continue;
      for (const [name, out] of Object.entries(entry.outputs)) {
        if (!isCurve(name, out)) continue;
        const id = `${stageName}.${name}`;
        const rows = store.hasBlob(out.digest) ? parseRows(store.readBlob(out.digest).toString('utf8'), out.path) : undefined;
        const curve = curves.get(id) ?? { id, x: '', points: [], absent: [] };
        curves.set(id, curve);
        if (!rows) {
          curve.absent.push(label);
          continue;
        }
        const x = curve.x || (X_FIELDS.find((f) => rows.some((r) => typeof r[f] === 'number')) ?? 'row');
        curve.x = x;
        rows.forEach((row, i) => {
          const xv = x === 'row' ? i + 1 : row[x];
          if (typeof xv !== 'number') return;
          for (const [metric, value] of Object.entries(row)) {
            if (metric !== x && typeof value === 'number' && Number.isFinite(value)) curve.points.push({ run: label, x: xv, metric, value });
          }
        });
      }
    }
  }
  if (stage && !curves.size) throw new UserError(`stage ${stage} has no curve output in these locks (an output whose name says "curve", as JSON lines or CSV)`);
  return [...curves.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

function parseRows(text: string, path: string): Array<Record<string, unknown>> {
  if (/\.csv$/i.test(path)) {
    const [head, ...lines] = text.trim().split('\n');
    const names = head!.split(',').map((s) => s.trim());
    return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i]!, v.trim() === '' || isNaN(+v) ? v : +v])));
  }
  if (/\.jsonl$/i.test(path)) return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
  const doc = JSON.parse(text) as unknown;
  return Array.isArray(doc) ? (doc as Array<Record<string, unknown>>) : [];
}

/** One panel per metric, one line per lock. */
export function curveSpec(curve: Curve): Spec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: curve.id,
    data: { values: curve.points },
    facet: { row: { field: 'metric', type: 'nominal', title: null } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 520,
      height: 170,
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: curve.x },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
        color: { field: 'run', type: 'nominal', title: 'run' },
      },
    },
  } as Spec;
}
