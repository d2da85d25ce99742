// The report page: one self-contained HTML file (styles and charts inline, pictures beside it under images/) with a
// table of contents. A small script checks, once the page has loaded, that every picture decoded and every chart
// has a size; it writes the verdict into <html data-check> (what the browser test reads) and shows a banner when
// something is wrong, so a broken report is visible to a reader too.
import { html, trusted, type Html } from './html.ts';

export interface PageSection {
  id: string;
  title: string;
  body: Html;
}

export interface Page {
  title: string;
  /** A line under the title (profile, lock file). */
  subtitle: Html;
  sections: readonly PageSection[];
}

const STYLE = `
body { font-family: 'DejaVu Sans', Verdana, sans-serif; font-size: 14px; color: #222; margin: 0 auto; max-width: 1120px; padding: 16px 24px 48px; line-height: 1.45; }
h1 { font-size: 24px; margin: 8px 0 4px; } h2 { font-size: 19px; margin: 36px 0 8px; border-bottom: 2px solid #4c78a8; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
nav ol { columns: 2; margin: 8px 0; padding-left: 20px; } nav a, h2 a { color: #1f4e79; text-decoration: none; }
.subtitle, .sources, .note, figcaption { color: #555; } .sources, figcaption { font-size: 12px; }
.note { font-style: italic; } .error { color: #a00; font-weight: bold; }
.digest { font-family: 'DejaVu Sans Mono', monospace; font-size: 11px; color: #777; }
table { border-collapse: collapse; margin: 8px 0 12px; font-size: 13px; } caption { text-align: left; font-weight: bold; padding: 4px 0; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; } th { background: #f0f4f8; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 8px 16px 8px 0; display: inline-block; vertical-align: top; max-width: 100%; }
figure img { max-width: 100%; border: 1px solid #ddd; } figure.chart svg { max-width: 100%; height: auto; }
.row { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 8px 24px; }
.gallery figure img { max-width: 220px; }
.metrics { display: flex; flex-wrap: wrap; gap: 0 28px; align-items: flex-start; }
.check-failed { background: #fee; border: 1px solid #a00; padding: 8px; }
`;

/** Runs in the browser; plain ES2017, no libraries. */
const CHECK = `
(() => {
  const problems = [];
  addEventListener('error', (e) => {
    const t = e.target;
    problems.push(t && t.tagName ? 'could not load ' + t.tagName.toLowerCase() + ' ' + (t.getAttribute('src') || '') : 'script error: ' + e.message);
  }, true);
  addEventListener('load', () => {
    for (const img of document.images) if (!img.complete || img.naturalWidth === 0) problems.push('picture not shown: ' + img.getAttribute('src'));
    for (const svg of document.querySelectorAll('figure.chart > svg')) {
      const box = svg.getBoundingClientRect();
      if (!(box.width > 0 && box.height > 0)) problems.push('chart without a size: ' + svg.parentElement.id);
    }
    const root = document.documentElement;
    root.dataset.check = problems.length ? [...new Set(problems)].join('; ') : 'ok';
    root.dataset.images = String(document.images.length);
    root.dataset.charts = String(document.querySelectorAll('figure.chart > svg').length);
    if (problems.length) {
      const banner = document.createElement('p');
      banner.className = 'check-failed';
      banner.textContent = 'This report did not render completely: ' + root.dataset.check;
      document.body.prepend(banner);
    }
  });
})();
`;

export function renderPage(page: Page): string {
  const doc = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title}</title>
<style>${trusted(STYLE)}</style>
<script>${trusted(CHECK)}</script>
</head>
<body>
<h1>${page.title}</h1>
<p class="subtitle">${page.subtitle}</p>
<nav><ol>${page.sections.map((s) => html`<li><a href="#${s.id}">${s.title}</a></li>`)}</ol></nav>
${page.sections.map((s) => html`<section id="${s.id}">
<h2><a href="#${s.id}">${s.title}</a></h2>
${s.body}
</section>
`)}</body>
</html>
`;
  return doc.text;
}
