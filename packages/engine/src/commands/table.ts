// Plain-text tables for results on stdout: aligned columns, numbers right-aligned, values shown compactly.
import { canonicalJson } from '../hash.ts';

/** A cell's text: numbers to 6 significant digits, absent as '-', objects as canonical JSON. */
export function cell(value: unknown): string {
  if (value === undefined) return '-';
  if (typeof value === 'number') return String(+value.toPrecision(6));
  if (typeof value === 'string') return value;
  return canonicalJson(value);
}

export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => r[i] === '-' || /^[-+]?[\d.]+(e[-+]?\d+)?%?$/.test(r[i]!)));
  const line = (r: readonly string[]) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
