// HTML as values: a tagged template escapes everything it interpolates unless it is already `Html`, so text from
// artifacts (a question, a metric name, a file name) can never inject markup into a report.

/** Markup that is safe to insert as is: built by `html` or, for trusted generators (vega's SVG), by `trusted`. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** What a template may interpolate: nothing, false, null and undefined render as nothing; arrays concatenate. */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => (out += render(v) + strings[i + 1]!));
  return new Html(out);
}

/** Markup from a generator we trust to produce well-formed, script-free output (vega's SVG). Never artifact text. */
export const trusted = (markup: string): Html => new Html(markup);
