// .vthinker/config.yaml: remote URLs and settings parse as documented; mistakes get a one-line fix.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveRemote } from '../../src/remote/config.ts';

const root = mkdtempSync(join(tmpdir(), 'vt-remote-config-'));
mkdirSync(join(root, '.vthinker'));
const config = (text: string, local?: string) => {
  writeFileSync(join(root, '.vthinker/config.yaml'), text);
  if (local === undefined) rmSync(join(root, '.vthinker/config.local.yaml'), { force: true });
  else writeFileSync(join(root, '.vthinker/config.local.yaml'), local);
};
const fails = (fn: () => unknown, message: string) => {
  try {
    fn();
  } catch (error) {
    return assert.match((error as Error).message, message);
  }
  assert.unreachable(`expected an error: ${message}`);
};

test.after(() => rmSync(root, { recursive: true, force: true }));

test('a directory remote: absolute, relative to the root, file://', () => {
  config('remotes:\n  a: /mnt/share/store\n  b: ../shared\n  c: file:///srv/x%20y\ndefault_remote: b\n');
  assert.equal(resolveRemote(root, 'a'), { name: 'a', url: '/mnt/share/store', jobs: 4, kind: 'dir', path: '/mnt/share/store' });
  assert.is(resolveRemote(root).name, 'b');
  assert.is((resolveRemote(root) as { path: string }).path, join(root, '../shared'));
  assert.is((resolveRemote(root, 'c') as { path: string }).path, '/srv/x y');
});

test('an sftp remote: user, port, home-relative path, identity, known_hosts, jobs', () => {
  config('remotes:\n  lab: sftp://me@gpu-box:2222/srv/vt\n  home: { url: "sftp://box/~/vt", identity: ~/.ssh/k, known_hosts: keys/hosts, jobs: 8 }\n');
  assert.equal(resolveRemote(root, 'lab'), {
    name: 'lab', url: 'sftp://me@gpu-box:2222/srv/vt', jobs: 4, kind: 'sftp', host: 'gpu-box', port: 2222, user: 'me', path: '/srv/vt',
    knownHosts: join(homedir(), '.ssh/known_hosts'),
  });
  const home = resolveRemote(root, 'home');
  assert.equal(home, {
    name: 'home', url: 'sftp://box/~/vt', jobs: 8, kind: 'sftp', host: 'box', port: 22, user: userInfo().username, path: 'vt',
    identity: join(homedir(), '.ssh/k'), knownHosts: join(root, 'keys/hosts'),
  });
});

test('config.local.yaml adds and overrides remotes and the default', () => {
  config('remotes:\n  team: /a\n  other: /b\ndefault_remote: team\n', 'remotes:\n  team: /mine\ndefault_remote: other\n');
  assert.is(resolveRemote(root).name, 'other');
  assert.is((resolveRemote(root, 'team') as { path: string }).path, '/mine');
});

test('mistakes say how to fix them', () => {
  config('');
  fails(() => resolveRemote(root), 'no remote is configured');
  config('remotes:\n  a: /x\n  b: /y\n');
  fails(() => resolveRemote(root), 'several remotes (a, b) and no default: pass --remote NAME');
  config('remote:\n  a: /x\n');
  fails(() => resolveRemote(root), '.vthinker/config.yaml: unknown setting remote; it may hold `remotes:` and `default_remote:`');
  config('remotes:\n  s3: s3://bucket/x\n');
  fails(() => resolveRemote(root), 'remote s3: s3:// remotes are not supported');
  config('remotes:\n  a: { url: /x, jobs: 0 }\n');
  fails(() => resolveRemote(root), 'remote a: `jobs:` must be an integer from 1 to 64, got 0');
  config('remotes:\n  a: { url: /x, identity: ~/.ssh/k }\n');
  fails(() => resolveRemote(root), 'identity and known_hosts apply to sftp:// remotes only');
  config('remotes:\n  a: { url: sftp://host }\n');
  fails(() => resolveRemote(root), 'needs a host and a folder');
  config('remotes:\n  a: { url: sftp://u:pw@host/x }\n');
  fails(() => resolveRemote(root), 'passwords in URLs are not supported');
  config('remotes:\n  a: { path: /x }\n');
  fails(() => resolveRemote(root), 'remote a: unknown setting path');
  config('remotes: [\n');
  fails(() => resolveRemote(root), '.vthinker/config.yaml is not valid YAML');
});

test.run();
