// What a report section sees: the profile's lock file and the store, read by digest (never the workspace, which a
// user can edit), plus helpers that put charts and pictures into the report folder. It also remembers which
// artifacts each section read, so the page can say where every figure comes from.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { shortDigest } from '../hash.ts';
import type { LockFile } from '../lockfile.ts';
import type { OutputRecord, Store } from '../store.ts';
import { html, trusted, type Html } from './html.ts';
import { scopeSvgIds, toSvg, type Spec } from './svg.ts';

/** One stage output as the lock file records it. */
export class Artifact {
  constructor(readonly stage: string, readonly name: string, readonly record: OutputRecord, private readonly store: Store) {}

  get label(): string {
    return `${this.stage}.${this.name}`;
  }

  text(): string {
    return this.store.readBlob(this.record.digest).toString('utf8');
  }

  json<T>(): T {
    return JSON.parse(this.text()) as T;
  }

  /** A JSONL output as plain objects. */
  rows<T = Record<string, unknown>>(): T[] {
    return this.text().split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as T);
  }

  /** Its files, sorted by relative path, with the store path of each one's bytes (a file output is one file). */
  files(): Array<{ rel: string; path: string }> {
    if (this.record.kind !== 'dir') return [{ rel: this.record.path, path: this.store.blobPath(this.record.digest) }];
    return this.store.manifest(this.record.digest).entries.map(([rel, digest]) => ({ rel, path: this.store.blobPath(digest) }));
  }
}

const IMAGE_FILE = /\.(png|jpe?g|gif|webp|svg)$/i;

export class ReportContext {
  private charts = 0;
  private read = new Map<string, Artifact>();

  /**
   * `stages`: every stage name, in pipeline order (then any the lock still has); `dir`: the folder the report is
   * assembled in (images are copied under its images/).
   */
  constructor(
    readonly profile: string,
    readonly lock: LockFile,
    readonly stages: readonly string[],
    private readonly store: Store,
    private readonly dir: string,
  ) {}

  /** True when the stage has an entry in the profile's lock file. */
  ran(stage: string): boolean {
    return !!this.lock.stages[stage];
  }

  /**
   * A stage output by its name (`curve`) or its file name (`curve.jsonl`); undefined when the stage has not run or
   * does not write it. File names let a section show outputs a stage will only declare later.
   */
  artifact(stage: string, nameOrPath: string): Artifact | undefined {
    const found = this.find(stage, nameOrPath);
    if (!found) return undefined;
    const artifact = new Artifact(stage, found[0], found[1], this.store);
    this.read.set(artifact.label, artifact);
    return artifact;
  }

  /** True when the stage's locked outputs include this one (without reading it, so not a source). */
  writes(stage: string, nameOrPath: string): boolean {
    return !!this.find(stage, nameOrPath);
  }

  private find(stage: string, nameOrPath: string): readonly [string, OutputRecord] | undefined {
    const outputs = this.lock.stages[stage]?.outputs ?? {};
    return outputs[nameOrPath] ? [nameOrPath, outputs[nameOrPath]] : Object.entries(outputs).find(([, o]) => o.path === nameOrPath);
  }

  /** The artifact, or the note to show in its place: the stage has not run, or ran without writing it (yet). */
  need(stage: string, nameOrPath: string): Artifact | Html {
    if (!this.ran(stage)) return this.notRun(stage);
    return this.artifact(stage, nameOrPath) ?? this.note(`${stage} has run in profile ${this.profile} but wrote no ${nameOrPath} (yet).`);
  }

  /** The artifacts read since the last call, by label: a section's sources. */
  takeSources(): Artifact[] {
    const sources = [...this.read.values()].sort((a, b) => (a.label < b.label ? -1 : 1));
    this.read = new Map();
    return sources;
  }

  /** A vega-lite chart as inline SVG (ids scoped to this chart, so charts on one page never clash). */
  async chart(spec: Spec, caption?: string): Promise<Html> {
    const id = `chart-${++this.charts}`;
    const svg = scopeSvgIds(await toSvg(spec), id);
    return html`<figure class="chart" id="${id}">${trusted(svg)}${caption ? html`<figcaption>${caption}</figcaption>` : ''}</figure>`;
  }

  /** A picture from an output, copied into the report folder (the store keeps one copy of its bytes). */
  image(artifact: Artifact, rel: string, caption: string): Html {
    const file = artifact.files().find((f) => f.rel === rel);
    if (!file) return this.note(`${artifact.label} has no file ${rel}`);
    const src = `images/${artifact.stage}/${artifact.name}/${rel}`.replace(/[^\w./@-]/g, '_');
    mkdirSync(dirname(join(this.dir, src)), { recursive: true });
    copyFileSync(file.path, join(this.dir, src));
    return html`<figure class="image"><img src="${src}" alt="${caption}"><figcaption>${caption}</figcaption></figure>`;
  }

  /** Up to `limit` pictures of a directory output, in file-name order, captioned with their names. */
  gallery(artifact: Artifact, limit: number): Html {
    const pictures = artifact.files().filter((f) => IMAGE_FILE.test(f.rel));
    const shown = pictures.slice(0, limit);
    const more = pictures.length > shown.length ? this.note(`${shown.length} of ${pictures.length} pictures shown`) : '';
    return html`<div class="gallery">${shown.map((f) => this.image(artifact, f.rel, f.rel))}</div>${more}`;
  }

  note(text: string): Html {
    return html`<p class="note">${text}</p>`;
  }

  /** The note a section shows for a stage that has not run in this profile. */
  notRun(stage: string): Html {
    return this.note(`${stage} has not run yet in profile ${this.profile} (vthinker run --profile ${this.profile} --until ${stage}).`);
  }

  /** A line naming artifacts and their digests. */
  static sourcesLine(sources: readonly Artifact[]): Html {
    if (!sources.length) return html``;
    return html`<p class="sources">from ${sources.map((a, i) => html`${i ? ', ' : ''}<code>${a.label}</code> <span class="digest">${shortDigest(a.record.digest)}</span>`)}</p>`;
  }
}
