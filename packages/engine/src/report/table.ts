// HTML tables with one way of writing numbers (locale-free, so a report is the same bytes on every machine).
import { html, type Html, type HtmlValue } from './html.ts';

export interface Column<R> {
  title: string;
  cell: (row: R) => HtmlValue;
  /** Right-aligned, for figures. */
  numeric?: boolean;
}

export function table<R>(columns: readonly Column<R>[], rows: readonly R[], caption?: string): Html {
  const cls = (c: Column<R>) => (c.numeric ? html` class="num"` : '');
  return html`<table>${caption ? html`<caption>${caption}</caption>` : ''}
<thead><tr>${columns.map((c) => html`<th${cls(c)}>${c.title}</th>`)}</tr></thead>
<tbody>
${rows.map((r) => html`<tr>${columns.map((c) => html`<td${cls(c)}>${cellValue(c.cell(r))}</td>`)}</tr>\n`)}</tbody>
</table>`;
}

const cellValue = (v: HtmlValue): HtmlValue => (typeof v === 'number' || typeof v === 'boolean' ? formatValue(v) : v);

/** A metric or table value as text: integers grouped by thousands, other numbers to 4 significant digits. */
export function formatValue(v: number | string | boolean): string {
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) || Math.abs(v) >= 1000) return String(Math.round(v)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return String(Number(v.toPrecision(4)));
}

/** A fraction as a percentage with one decimal. */
export const percent = (fraction: number): string => `${(100 * fraction).toFixed(1)}%`;
