// `push` / `pull` with a directory remote: a fresh clone pulls and every stage is fresh with identical artifacts;
// transfers are idempotent and resume; a corrupted remote blob is reported and not installed.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import { parse } from 'yaml';
import * as assert from 'uvu/assert';
import { files, load } from '../../src/notebook.ts';
import type { Fixture } from '../fixture.ts';
import { ALL_FRESH, cloneOf, ranProject, states, tree } from './helpers.ts';

const remoteDir = mkdtempSync(join(tmpdir(), 'vt-remote-'));
const remote = join(remoteDir, 'store');
let origin: Fixture;
const made: Fixture[] = [];
const clone = (config?: string) => {
  const c = cloneOf(origin, config);
  made.push(c);
  return c;
};
const blobFiles = () => readdirSync(join(remote, 'blobs'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();

test.before(() => {
  origin = ranProject(`remotes:\n  shared: ${remote}\n`);
});

test.after(() => {
  for (const f of [origin, ...made]) f?.remove();
  rmSync(remoteDir, { recursive: true, force: true });
});

test('push copies the lock-referenced blobs, records and journal; a second push copies nothing', () => {
  const first = origin.cli(['push']);
  assert.is(first.code, 0, first.stderr);
  assert.match(first.stdout, /pushed profile tiny to shared \(.*\): \d+ blob\(s\), [\d.]+ (B|KiB|MiB); 4 run record\(s\); 4 journal line\(s\)/);
  assert.match(first.stderr, /push: blobs \d+\/\d+/);
  assert.is(readdirSync(join(remote, 'runs')).length, 4);
  const second = origin.cli(['push']);
  assert.is(second.code, 0, second.stderr);
  assert.match(second.stdout, /: 0 blob\(s\), 0 B; 0 run record\(s\); 0 journal line\(s\)\. Already there: \d+ blob\(s\), 4 run record\(s\)/);
});

test('a fresh clone pulls: every stage fresh, artifacts and run history identical', () => {
  const c = clone();
  assert.equal(Object.values(states(c)), ['missing', 'missing', 'missing', 'missing']);
  const r = c.cli(['pull']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /pulled profile tiny from shared .*4 run record\(s\); 4 journal line\(s\)/);
  assert.equal(states(c), ALL_FRESH);
  assert.equal(tree(join(c.root, 'artifacts/tiny')), tree(join(origin.root, 'artifacts/tiny')));
  // What notebooks read: outputs by name through the lock, files of directory outputs.
  assert.equal(load('b', 'out', { root: c.root }), { value: 6 });
  assert.equal(Object.keys(files('a', 'parts', { root: c.root })), ['0.txt', '1.txt', '2.txt']);
  const runs = (f: Fixture) => JSON.parse(f.cli(['runs', '--json']).stdout) as unknown[];
  assert.equal(runs(c), runs(origin));
  // Nothing left to run, and a second pull moves nothing.
  const run = c.cli(['run']);
  assert.equal(run.events.filter((e) => e.type === 'fresh').length, 4);
  const again = c.cli(['pull']);
  assert.match(again.stdout, /: 0 blob\(s\).*0 journal line\(s\)\. Already there: 0 blob\(s\), 4 run record\(s\)/);
});

test('an interrupted push resumes: only the missing blobs move', () => {
  const blobs = blobFiles();
  for (const path of blobs.slice(0, 2)) rmSync(path);
  const r = origin.cli(['push']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /: 2 blob\(s\)/);
  assert.is(blobFiles().length, blobs.length);
});

test('a corrupted remote blob is reported and not installed; the rest is pulled', () => {
  const lock = parse(origin.read('lockfiles/tiny.lock.yaml')) as { stages: Record<string, { outputs: Record<string, { digest: string }> }> };
  const digest = lock.stages.d!.outputs.out!.digest;
  const victim = join(remote, 'blobs', digest.slice(7, 9), digest.slice(9));
  chmodSync(victim, 0o644);
  writeFileSync(victim, 'tampered');
  const c = clone();
  const r = c.cli(['pull']);
  assert.is(r.code, 1);
  assert.match(r.stdout, `corrupt on the remote, not installed (push them again from a good copy): blob ${digest}`);
  assert.match(r.stdout, 'not on the remote, not pulled: d ');
  assert.equal(states(c), { ...ALL_FRESH, d: 'missing' });
  assert.not.ok(existsSync(join(c.root, 'artifacts/store/blobs', digest.slice(7, 9), digest.slice(9))));
  // Pushing again repairs it once the bad copy is gone (push trusts names, like any content-addressed store).
  rmSync(victim);
  assert.is(origin.cli(['push']).code, 0);
  const fixed = c.cli(['pull']);
  assert.is(fixed.code, 0, fixed.stdout + fixed.stderr);
  assert.match(fixed.stdout, /: 1 blob\(s\), 14 B; 1 run record\(s\)/, fixed.stdout); // only d's blob and record were missing
  assert.equal(states(c), ALL_FRESH);
});

test('errors: no remote configured, unknown remote, missing lock file, unmounted share, empty remote', () => {
  const bare = clone('');
  let r = bare.cli(['pull']);
  assert.is(r.code, 2);
  assert.match(r.stderr, 'vthinker: no remote is configured');
  r = origin.cli(['push', '--remote', 'shred']);
  assert.is(r.code, 2);
  assert.match(r.stderr, 'no remote named shred (did you mean shared?); configured: shared');
  const nolock = clone();
  rmSync(join(nolock.root, 'lockfiles'), { recursive: true });
  r = nolock.cli(['pull']);
  assert.is(r.code, 2);
  assert.match(r.stderr, 'vthinker: no lock file for profile tiny (lockfiles/tiny.lock.yaml is missing)');
  const unmounted = clone(`remotes:\n  nas: /no/such/mount/store\n`);
  r = unmounted.cli(['pull']);
  assert.is(r.code, 1);
  assert.match(r.stderr, 'cannot reach remote nas (/no/such/mount/store): /no/such/mount does not exist (is the share mounted?)');
  const empty = clone(`remotes:\n  fresh: ${remoteDir}/empty\n`);
  r = empty.cli(['pull']);
  assert.is(r.code, 1);
  assert.match(r.stderr, 'holds no vthinker store (no vthinker-remote.json at its root): push to it first');
  assert.is(r.stderr.trim().split('\n').length, 1); // one line, no stack trace
  r = origin.cli(['push', '--jobs', '0']);
  assert.is(r.code, 2);
  assert.match(r.stderr, '--jobs must be an integer from 1 to 64, got 0');
});

test('push --help and pull --help work outside a project', () => {
  for (const cmd of ['push', 'pull']) {
    const r = spawnSync(process.execPath, [join(import.meta.dirname, '../../bin/vthinker.js'), cmd, '--help'], { cwd: tmpdir(), encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, `vthinker ${cmd} [--profile P] [--remote NAME] [--jobs N]`);
  }
});

test.run();
