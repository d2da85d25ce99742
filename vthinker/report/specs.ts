// vega-lite specs the report's sections share: training curves drawn from whatever numeric columns a curve has.
import type { Spec } from '@vthinker/engine/report';

export type Row = Record<string, unknown>;

/** At most `max` rows, evenly spaced, first and last kept: a 3,000-step curve stays a light SVG. */
export function downsample<T>(rows: readonly T[], max: number): T[] {
  if (rows.length <= max) return [...rows];
  const stride = (rows.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => rows[Math.round(i * stride)]!);
}

/**
 * Columns with numbers and nothing else (a row may lack the column or hold null: steps without that measurement),
 * in first-seen order, without the x column.
 */
export function numericColumns(rows: readonly Row[], x: string): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
  seen.delete(x);
  const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  return [...seen].filter((k) => rows.some((r) => isNumber(r[k])) && rows.every((r) => r[k] === undefined || r[k] === null || isNumber(r[k])));
}

/**
 * One small line chart per numeric column against `x`, each with its own y scale and the column's name as its y
 * title: a curve file can gain columns (rewards, KL, throughput) without the report changing.
 */
export function curvesSpec(title: string, rows: readonly Row[], x: string, columns: readonly string[], xTitle = x): Spec {
  return {
    title,
    data: { values: downsample(rows, 400) },
    columns: Math.min(3, columns.length),
    concat: columns.map((c) => ({
      width: 250,
      height: 140,
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x: { field: fieldName(x), type: 'quantitative', title: xTitle },
        y: { field: fieldName(c), type: 'quantitative', title: c, scale: { zero: false }, axis: { format: '~g' } },
      },
    })),
  } as Spec;
}

/** A column name as a vega-lite field (dots and brackets would otherwise mean nested access). */
export const fieldName = (column: string): string => column.replace(/[.[\]\\]/g, '\\$&');
