// The closing section of every report: each stage's metrics, key and duration as the lock file records them.
import { shortDigest } from '../hash.ts';
import type { LockFile } from '../lockfile.ts';
import { html, type Html } from './html.ts';
import { table } from './table.ts';

/** Stages in pipeline order; stages the lock still has but the pipeline no longer declares come last, sorted. */
export function stageList(lock: LockFile, order: readonly string[]): string[] {
  return [...order, ...Object.keys(lock.stages).filter((s) => !order.includes(s)).sort()];
}

export function metricsBody(lock: LockFile, stages: readonly string[]): Html {
  return html`<div class="metrics">${stages.map((stage) => {
    const entry = lock.stages[stage];
    if (!entry) return html`<div><h3>${stage}</h3><p class="note">not run yet</p></div>`;
    const metrics = Object.entries(entry.metrics).sort(([a], [b]) => (a < b ? -1 : 1));
    const outputs = Object.keys(entry.outputs).length;
    return html`<div><h3>${stage}</h3>
<p class="sources">key <span class="digest">${shortDigest(entry.key)}</span>, ${entry.duration_s} s, ${outputs} output${outputs === 1 ? '' : 's'}</p>
${metrics.length ? table([{ title: 'metric', cell: ([k]) => k }, { title: 'value', cell: ([, v]) => v, numeric: true }], metrics) : html`<p class="note">no metrics</p>`}</div>
`;
  })}</div>`;
}
