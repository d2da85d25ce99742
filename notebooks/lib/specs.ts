// vega-lite spec builders the notebooks share, for what a plain spec says badly.
import type { Spec } from './charts.ts';

/** One panel of `panels`: the rows whose `by` field equals `key`, its value axis titled `title`. */
export interface Panel {
  key: string;
  title: string;
  /** Axis and scale settings of the panel's value channel (a `%` format, a [0, 1] domain). */
  axis?: Record<string, unknown>;
  scale?: Record<string, unknown>;
}

/**
 * Small multiples of long-format rows, one panel per measure, each with its own titled value axis (a facet can only
 * title its headers, so faceted panels would share one axis title or have none). Colour and legend are shared.
 */
export function panels(o: {
  title: string;
  values: readonly object[];
  /** The field naming the measure of a row, and the field holding its value. */
  by: string;
  value: string;
  panels: readonly Panel[];
  /** The channel the value goes on (default y). */
  channel?: 'x' | 'y';
  columns: number;
  width?: number;
  height?: number;
  /** Every other channel (x, color, yOffset, ...), shared by the layers. */
  encoding: Record<string, unknown>;
} & (
  | { mark: unknown }
  /** Layers: each gets the value channel, merged with what it sets on that channel itself (e.g. an aggregate). */
  | { layer: ReadonlyArray<{ mark: unknown; encoding?: Record<string, unknown> }> }
)): Spec {
  const channel = o.channel ?? 'y';
  const layers = 'layer' in o ? o.layer : [{ mark: o.mark }];
  return {
    title: o.title,
    data: { values: o.values },
    columns: o.columns,
    concat: o.panels.map((p) => {
      const scale = p.scale?.domain ? p.scale : flatDomain(o.values, o.by, p.key, o.value) ?? p.scale;
      const value = { field: o.value, type: 'quantitative', title: p.title, ...(p.axis ? { axis: p.axis } : {}), ...(scale ? { scale } : {}) };
      const views = layers.map((l) => ({ mark: l.mark, encoding: { ...l.encoding, [channel]: { ...value, ...(l.encoding?.[channel] as object | undefined) } } }));
      return {
        width: o.width ?? 240,
        height: o.height ?? 160,
        transform: [{ filter: { field: o.by, equal: p.key } }],
        ...(views.length === 1 ? { mark: views[0]!.mark, encoding: { ...o.encoding, ...views[0]!.encoding } } : { encoding: o.encoding, layer: views }),
      };
    }),
  } as Spec;
}

/**
 * A scale domain for a panel whose values are all the same (say every rate 0 on a smoke run): vega would draw a
 * zero-width domain with odd ticks ("0.000000"); this gives it [0, 1] for 0, else the span from 0 to the value.
 */
function flatDomain(values: readonly object[], by: string, key: string, field: string): Record<string, unknown> | undefined {
  const xs = values.filter((r) => (r as Record<string, unknown>)[by] === key).map((r) => (r as Record<string, unknown>)[field]).filter((v): v is number => typeof v === 'number');
  if (!xs.length || Math.min(...xs) !== Math.max(...xs)) return undefined;
  const v = xs[0]!;
  return { domain: v === 0 ? [0, 1] : [Math.min(0, v), Math.max(0, v)] };
}

/** A quantitative field as a share: `%` ticks on a 0-100 % scale. */
export const share = { axis: { format: '%' }, scale: { domain: [0, 1] } } as const;

/**
 * A labelled heatmap: one cell per (x, y), coloured by `share` (0..1, blues) and printed with `label`; labels turn
 * white on dark cells. `facet` splits it into panels (e.g. one per task) sharing the colour scale.
 */
export function heatmap(o: {
  title: string;
  values: readonly object[];
  x: { field: string; title: string; sort?: readonly string[] };
  y: { field: string; title: string; sort?: readonly string[] };
  colorTitle: string;
  cellWidth?: number;
  facet?: { field: string; sort?: readonly string[] };
}): Spec {
  const xs = new Set(o.values.map((v) => (v as Record<string, unknown>)[o.x.field])).size;
  const spec = {
    width: (o.cellWidth ?? 60) * Math.max(1, xs),
    encoding: {
      x: { field: o.x.field, type: 'nominal', title: o.x.title, ...(o.x.sort ? { sort: o.x.sort } : {}) },
      y: { field: o.y.field, type: 'nominal', title: o.y.title, ...(o.y.sort ? { sort: o.y.sort } : {}) },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'share', type: 'quantitative', title: o.colorTitle, scale: { domain: [0, 1], scheme: 'blues' } } } },
      { mark: { type: 'text', fontSize: 9 }, encoding: { text: { field: 'label' }, color: { condition: { test: 'datum.share > 0.6', value: 'white' }, value: 'black' } } },
    ],
  };
  if (!o.facet) return { title: o.title, data: { values: o.values }, ...spec } as Spec;
  return {
    title: o.title, data: { values: o.values },
    facet: { column: { field: o.facet.field, type: 'nominal', title: null, ...(o.facet.sort ? { sort: o.facet.sort } : {}) } },
    spec,
  } as Spec;
}
