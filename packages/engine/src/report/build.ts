// Builds a profile's report: the project's sections, then every stage's metrics, as one folder (index.html and
// images/) that goes into the store as a directory manifest, like a stage's directory output, and appears read-only
// at artifacts/<profile>/report/. Nothing in it depends on the clock or the machine, so the same lock file and code
// give the same digest.
import { rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readLockfile, lockfilePath } from '../lockfile.ts';
import type { StatCache } from '../stat-cache.ts';
import type { OutputRecord, Store } from '../store.ts';
import { ReportContext } from './context.ts';
import { html, type Html } from './html.ts';
import { metricsBody, stageList } from './metrics.ts';
import { renderPage, type PageSection } from './page.ts';

/** A part of the report a project contributes; it decides what to show when its artifacts are missing. */
export interface ReportSection {
  id: string;
  title: string;
  render(ctx: ReportContext): Promise<Html> | Html;
}

export interface BuildReportOptions {
  root: string;
  profile: string;
  store: Store;
  /** Lets an unchanged report skip re-linking its workspace copy. */
  statCache: StatCache;
  title: string;
  sections: readonly ReportSection[];
  /** Stage names in pipeline order, for the metrics section. */
  stageOrder: readonly string[];
}

export interface BuiltReport {
  /** The report folder in the store (a manifest digest). */
  record: OutputRecord;
  /** artifacts/<profile>/report/index.html */
  index: string;
  /** Sections that threw, with the message shown in their place. */
  problems: string[];
}

export async function buildReport(o: BuildReportOptions): Promise<BuiltReport> {
  const lock = readLockfile(o.root, o.profile);
  const tmp = o.store.makeTmp(`report-${o.profile}`);
  try {
    const stages = stageList(lock, o.stageOrder);
    const ctx = new ReportContext(o.profile, lock, stages, o.store, tmp);
    const problems: string[] = [];
    const sections: PageSection[] = [];
    for (const s of o.sections) {
      let body: Html;
      try {
        body = await s.render(ctx);
      } catch (error) {
        // One bad artifact costs its section, not the report; the command still exits non-zero.
        const message = `section ${s.id}: ${(error as Error).message}`;
        problems.push(message);
        body = html`<p class="error">could not render this section: ${message}</p>`;
      }
      sections.push({ id: s.id, title: s.title, body: html`${body}${ReportContext.sourcesLine(ctx.takeSources())}` });
    }
    sections.push({ id: 'metrics', title: 'Metrics of every stage', body: metricsBody(lock, stages) });
    const subtitle = html`profile <b>${o.profile}</b>, from <code>${relative(o.root, lockfilePath(o.root, o.profile))}</code>: ${Object.keys(lock.stages).length} of ${o.stageOrder.length} stages run`;
    writeFileSync(join(tmp, 'index.html'), renderPage({ title: o.title, subtitle, sections }));

    const record = o.store.ingest('dir', 'report', tmp);
    // No run produced the report, so no lock file keeps it: a root does, or `vthinker gc` would take its bytes.
    o.store.setRoot(`report-${o.profile}`, record);
    const shown = join(o.store.artifacts, o.profile, 'report');
    if (!o.store.isMaterialised(record, shown, o.statCache, o.root)) o.store.materialise(record, shown);
    return { record, index: join(shown, 'index.html'), problems };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
