// Sealed views: a view checked file by file and found intact is sealed with its folders' stats (and the store's blob
// shards'), and later commands trust it while those are unchanged. Every change a seal can see must still show
// (a file deleted, added or replaced; a blob gone from the store); a file written in place shows with --verify.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Store } from '../src/store.ts';
import { ViewSeals } from '../src/view-seals.ts';
import { ABCD, Fixture, stagesWith } from './fixture.ts';

type Lock = { stages: Record<string, { key: string; outputs: Record<string, { digest: string }> }> };
const fx = new Fixture(ABCD);
const view = (rel: string) => join(fx.root, 'artifacts/tiny', rel);

/** Dates every file and folder under artifacts/ a minute back: a seal is only written for stats older than a second. */
function age(dir = join(fx.root, 'artifacts')): void {
  const then = new Date(Date.now() - 60_000);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) age(join(dir, entry.name));
    else utimesSync(join(dir, entry.name), then, then);
  }
  utimesSync(dir, then, then);
}

const status = (...args: string[]) => {
  const r = fx.cli(['status', '--json', ...args]);
  assert.is(r.code, 0, r.stderr);
  return Object.fromEntries((JSON.parse(r.stdout) as Array<{ stage: string; state: string; reasons: string[] }>).map((s) => [s.stage, s]));
};
const sealed = (): string[] => (fx.exists('artifacts/store/seals/tiny.json') ? Object.keys(JSON.parse(fx.read('artifacts/store/seals/tiny.json'))).sort() : []);
const allFresh = () => Object.values(status()).every((s) => s.state === 'fresh');

/** Sealed and fresh, as after a no-op some time after the last run. */
function sealAll(): void {
  age();
  assert.ok(allFresh());
  assert.equal(sealed(), ['a', 'b', 'c', 'd']);
}

test('a view is sealed by a check that found it intact, unless it changed within the last second', () => {
  assert.equal(stagesWith(fx.cli(['run']), 'ran'), ['a', 'b', 'c', 'd']);
  sealAll();
  assert.ok(allFresh());
  const store = new Store(join(fx.root, 'artifacts'));
  const seals = new ViewSeals(store, (lockName, stage) => join(fx.root, 'artifacts', lockName, stage));
  const a = store.readRun((parse(fx.read('lockfiles/tiny.lock.yaml')) as Lock).stages.a!.key)!;
  assert.ok(seals.holds('tiny', a));
  assert.is(seals.snapshot('tiny', a)!.racy, false);
  // A folder whose mtime is the current clock tick (dated ahead here, so the test does not race the clock itself).
  const sealOfA = () => (JSON.parse(fx.read('artifacts/store/seals/tiny.json')) as Record<string, unknown>).a;
  const before = sealOfA();
  const ahead = new Date(Date.now() + 60_000);
  utimesSync(view('a/parts'), ahead, ahead);
  assert.not.ok(new ViewSeals(store, (lockName, stage) => join(fx.root, 'artifacts', lockName, stage)).holds('tiny', a));
  assert.is(seals.snapshot('tiny', a)!.racy, true);
  assert.is(status().a!.state, 'fresh');
  assert.equal(sealOfA(), before, 'a view changed within the clock tick was sealed');
});

test('a file deleted from, added to or replaced in a sealed view shows without --verify', () => {
  sealAll();
  rmSync(view('a/parts/1.txt'));
  assert.match(status().a!.reasons.join('\n'), /workspace artifacts\/tiny\/a\/parts was modified/);
  assert.equal(stagesWith(fx.cli(['run']), 'cached'), ['a']);
  assert.is(statSync(view('a/parts/1.txt')).size, 1);

  sealAll();
  writeFileSync(view('a/parts/extra.txt'), 'x');
  assert.is(status().a!.state, 'stale');
  fx.cli(['run']);
  assert.not.ok(fx.exists('artifacts/tiny/a/parts/extra.txt'));

  sealAll();
  rmSync(view('b/out.json'));
  writeFileSync(view('b/out.json'), '{"value": 0}\n');
  assert.match(status().b!.reasons.join('\n'), /workspace artifacts\/tiny\/b\/out.json was modified/);
  fx.cli(['run']);
  assert.match(fx.read('artifacts/tiny/b/out.json'), /"value": 6/);
});

test('a blob removed from the store breaks the seals (one of a folder view, whose files a seal does not stat)', () => {
  sealAll();
  const store = new Store(join(fx.root, 'artifacts'));
  const parts = (parse(fx.read('lockfiles/tiny.lock.yaml')) as Lock).stages.a!.outputs.parts!.digest;
  const [, digest] = store.manifest(parts).entries.find(([rel]) => rel === '0.txt')!;
  rmSync(store.blobPath(digest));
  const st = status();
  assert.is(st.a!.state, 'missing');
  assert.equal(st.a!.reasons, ['outputs are missing from the store']);
  assert.equal(stagesWith(fx.cli(['run']), 'ran'), ['a']);
  assert.ok(allFresh());
});

test('a file written in place inside a sealed view shows with --verify, which run also takes', () => {
  sealAll();
  const part = view('a/parts/2.txt');
  chmodSync(part, 0o644);
  writeFileSync(part, '5'); // same inode: the blob it links to changes with it
  assert.is(status().a!.state, 'fresh', 'the seal was not used');
  assert.is.not(status('--verify').a!.state, 'fresh');
  assert.equal(stagesWith(fx.cli(['run', '--verify']), 'ran'), ['a']);
  assert.is(fx.read('artifacts/tiny/a/parts/2.txt'), '4');
  assert.ok(allFresh());
});

test.after(() => fx.remove());
test.run();
