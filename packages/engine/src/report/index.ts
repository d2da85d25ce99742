// Building blocks for a project's own `report` command (`@vthinker/engine/report`): sections written with the `html`
// template and `table`, charts as vega-lite specs (toSvg, svgToPng: the optional peers vega, vega-lite, sharp and
// dejavu-fonts-ttf), assembled into a static page in the store by reportCommand.
export { buildReport } from './build.ts';
export type { BuildReportOptions, BuiltReport, ReportSection } from './build.ts';
export { REPORT_USAGE, reportCommand } from './command.ts';
export type { ReportCommandOptions } from './command.ts';
export { Artifact, ReportContext } from './context.ts';
export { escapeHtml, Html, html, trusted } from './html.ts';
export type { HtmlValue } from './html.ts';
export { svgToPng, toPng } from './png.ts';
export { scopeSvgIds, toSvg } from './svg.ts';
export type { Spec } from './svg.ts';
export { formatValue, percent, table } from './table.ts';
export type { Column } from './table.ts';
