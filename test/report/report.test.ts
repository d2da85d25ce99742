// `vthinker report` on a small project with the V-Thinker stage names: the report lands in the store and read-only
// in the workspace, the same inputs give the same digest (in one process and through the CLI), artifact text is
// escaped, missing stages are notes, and headless chromium renders it with every picture and chart and no error.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { html, reportCommand as engineReportCommand } from '@vthinker/engine/report';
import { Store } from '@vthinker/engine/api';
import type { Fixture } from '../../packages/engine/test/fixture.ts';
import { reportCommand } from '../../vthinker/report/command.ts';
import { openPage, requireChromium, rootData } from './chromium.ts';
import { PLANTED, reportFixture } from './fixture.ts';

interface Built { profile: string; index: string; digest: string; files: number; problems: string[] }

let f: Fixture;

test.before(() => {
  f = reportFixture();
  for (const args of [['run', '--executor', 'inline'], ['run', '--executor', 'inline', '--profile', 'partial', '--until', 'verify']]) {
    const r = f.cli(args);
    if (r.code !== 0) throw new Error(`fixture pipeline failed: ${r.stderr}`);
  }
});
test.after(() => f.remove());

async function build(profile: string): Promise<{ code: number; built: Built; page: string }> {
  const lines: string[] = [];
  const code = await reportCommand(['--json'], { root: f.root, profile }, (l) => lines.push(l));
  const built = JSON.parse(lines.at(-1)!) as Built;
  return { code, built, page: readFileSync(built.index, 'utf8') };
}

/** The markup of one section of the page. */
const section = (page: string, id: string) => page.slice(page.indexOf(`<section id="${id}">`), page.indexOf('</section>', page.indexOf(`<section id="${id}">`)));

test('the report is a folder in the store, shown read-only at artifacts/<profile>/report/', async () => {
  const { code, built } = await build('full');
  assert.is(code, 0);
  assert.equal(built.problems, []);
  assert.is(built.index, join(f.root, 'artifacts', 'full', 'report', 'index.html'));
  const store = new Store(join(f.root, 'artifacts'));
  const entries = store.manifest(built.digest).entries.map(([rel]) => rel);
  assert.equal(entries, ['images/perception/sheets/errors.png', 'images/verify/sheets/samples.png', 'images/vtbench/gallery/a-item.png', 'images/vtbench/gallery/b-item.png', 'index.html']);
  const [, indexDigest] = store.manifest(built.digest).entries.find(([rel]) => rel === 'index.html')!;
  assert.is(statSync(built.index).ino, statSync(store.blobPath(indexDigest)).ino, 'a hardlink to the blob');
  assert.is(statSync(built.index).mode & 0o222, 0, 'read-only');
});

test('gc keeps the latest report of each profile (no lock file references it) and drops a replaced one', async () => {
  const { built } = await build('full');
  const store = new Store(join(f.root, 'artifacts'));
  const files = () => store.manifest(built.digest).entries.map(([, d]) => d);
  const gc = f.cli(['gc']);
  assert.is(gc.code, 0, gc.stderr);
  assert.ok(store.hasBlob(built.digest), 'the manifest survives gc');
  assert.ok(files().every((d) => store.hasBlob(d)), 'every file of the report survives gc');
  store.setRoot('report-full', { kind: 'file', digest: `sha256:${'0'.repeat(64)}` });
  assert.is(f.cli(['gc']).code, 0);
  assert.not.ok(store.hasBlob(built.digest), 'once no root names it, the old report is collected');
  assert.is((await build('full')).built.digest, built.digest, 'and the next report puts it back');
});

test('same lock, same digest: twice in one process and once through the CLI', async () => {
  const first = (await build('full')).built.digest;
  assert.is((await build('full')).built.digest, first);
  const cli = f.cli(['report']); // the default profile, through pipeline.ts `commands`
  assert.is(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, 'report (profile full): artifacts/full/report/index.html');
  assert.match(cli.stdout, `digest ${first}`);
});

test('text from artifacts is escaped', async () => {
  const { page } = await build('full');
  assert.not.match(page, PLANTED);
  assert.match(page, 'qa/&lt;script&gt;alert(&quot;planted&quot;)&lt;/script&gt; &amp; &lt;b&gt;');
  assert.is(page.split('&lt;script&gt;alert').length - 1, 2, 'the reject reason and the metric');
  assert.is(html`<p title="${'"x"'}">${['<a>', html`<i>ok</i>`, null, false, 3]}</p>`.text, '<p title="&quot;x&quot;">&lt;a&gt;<i>ok</i>3</p>');
});

test('sections: charts with axis titles, tables, the gallery, the notes of a stage that trained nothing yet', async () => {
  const { page } = await build('full');
  for (const id of ['flywheel', 'perception', 'curriculum', 'vtbench', 'metrics']) assert.match(page, `<section id="${id}">`);
  // growth, accuracy by level, accuracy during training, perception curve, rl1 and rl1-noperc curves, vtbench domains
  assert.is(page.split('<figure class="chart"').length - 1, 7);
  assert.match(section(page, 'curriculum'), '<h3>rl1-noperc</h3>');
  for (const title of ['evolution round', 'training step', 'reward_format', 'tool_calls', 'accuracy (%)']) assert.match(page, `>${title}</text>`);
  assert.not.match(page, '>phase</text>', 'a text column is not plotted');
  assert.match(page, '10.0 <span class="ci">[7.0, 13.0]</span>');
  assert.match(page, '20.0 <span class="ci">[17.0, 23.0]</span> <b>(+10.0)</b>', 'm1 vs base');
  assert.match(page, '18.6 <b>(+6.0)</b>', "the paper's own delta");
  assert.ok(page.indexOf('>base</td>') < page.indexOf('>m0</td>') && page.indexOf('>m0</td>') < page.indexOf('>m1</td>'), 'base first');
  assert.ok(page.indexOf('a-item.png') < page.indexOf('b-item.png'));
  assert.not.match(page, 'notes.txt');
  assert.match(page, 'rl2 wrote no training curve (curve.jsonl) yet: not implemented yet: GRPO.');
  assert.match(page, /from <code>vtbench\.gallery<\/code> <span class="digest">[0-9a-f]{12}<\/span>, <code>vtbench\.scores<\/code>/);
  assert.not.match(page, /\d{4}-\d\d-\d\dT\d\d:/, 'no timestamps');
});

test('a profile where most stages have not run: notes, never a crash', async () => {
  const { code, built, page } = await build('partial');
  assert.is(code, 0);
  assert.equal(built.problems, []);
  for (const stage of ['perception', 'rl1', 'rl2', 'vtbench']) assert.match(page, `${stage} has not run yet in profile partial`);
  assert.match(page, '2 of 7 stages run');
  assert.not.match(section(page, 'curriculum'), 'rl1-noperc', 'other training runs appear once they have a curve');
  assert.is(page.split('<figure class="chart"').length - 1, 1);
});

test('a section that throws costs its section only, and the command exits 1', async () => {
  const lines: string[] = [];
  const broken = { id: 'broken', title: 'Broken', render: () => { throw new Error('bad <artifact>'); } };
  const code = await engineReportCommand([], { root: f.root, profile: 'partial' }, { title: 'T', sections: [broken], log: (l) => lines.push(l) });
  assert.is(code, 1);
  assert.match(lines.join('\n'), 'problem: section broken: bad <artifact>');
  const page = readFileSync(join(f.root, 'artifacts', 'partial', 'report', 'index.html'), 'utf8');
  assert.match(page, 'could not render this section: section broken: bad &lt;artifact&gt;');
  assert.match(page, '<section id="metrics">');
});

test('headless chromium renders the report: every picture decoded, every chart sized, no console message', async () => {
  const browser = requireChromium();
  if (!browser) return;
  for (const [profile, charts, images] of [['full', '7', '4'], ['partial', '1', '1']] as const) {
    const { built } = await build(profile);
    const loaded = openPage(browser, built.index);
    assert.is(rootData(loaded.dom, 'check'), 'ok', `${profile}: ${rootData(loaded.dom, 'check')}`);
    assert.is(rootData(loaded.dom, 'charts'), charts);
    assert.is(rootData(loaded.dom, 'images'), images);
    assert.equal(loaded.console, []);
    for (const h of ['Data flywheel', 'Perception alignment', 'Interactive curriculum', 'VTBench', 'Metrics of every stage']) assert.match(loaded.dom, `>${h}</a></h2>`);
  }
});

test("headless chromium: the page's own check reports a picture that does not load", async () => {
  const browser = requireChromium();
  if (!browser) return;
  const { built } = await build('full');
  const alone = mkdtempSync(join(tmpdir(), 'vt-report-alone-'));
  try {
    copyFileSync(built.index, join(alone, 'index.html')); // without images/
    const check = rootData(openPage(browser, join(alone, 'index.html')).dom, 'check') ?? '';
    assert.match(check, 'could not load img images/verify/sheets/samples.png');
    assert.match(check, 'picture not shown: images/vtbench/gallery/b-item.png');
  } finally {
    rmSync(alone, { recursive: true, force: true });
  }
});

test.run();
