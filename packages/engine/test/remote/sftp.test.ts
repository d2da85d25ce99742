// `push` / `pull` over SFTP against a real sshd on loopback: a fresh clone pulls and every stage is fresh with
// identical artifacts; an unknown host key, a refused key and a closed port each end in one clear line.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { freePort } from '../queue/redis.ts';
import type { Fixture } from '../fixture.ts';
import { ALL_FRESH, cloneOf, ranProject, states, tree } from './helpers.ts';
import { requireSshd, startSshd, type Sshd } from './sshd.ts';

const enabled = requireSshd();
let sshd: Sshd | undefined;
let origin: Fixture | undefined;
const made: Fixture[] = [];
// No ssh-agent: the tests log in with the keys they name, whatever the machine has loaded.
const env = { SSH_AUTH_SOCK: '' };

/** A remote `lab` on the test server, in a folder under its temp dir (absolute path, as sftp:// URLs give it). */
const config = (s: Sshd, o: { key?: string; knownHosts?: string; port?: number } = {}) =>
  `remotes:\n  lab:\n    url: sftp://127.0.0.1:${o.port ?? s.port}${s.dir}/remote\n    identity: ${o.key ?? s.clientKey}\n    known_hosts: ${o.knownHosts ?? s.knownHosts}\n`;

test.before(async () => {
  if (!enabled) return;
  sshd = await startSshd();
  origin = ranProject(config(sshd));
});

test.after(async () => {
  for (const f of [origin, ...made]) f?.remove();
  await sshd?.stop();
});

const stest = (name: string, fn: (s: Sshd, o: Fixture) => void | Promise<void>) => test(name, async () => (enabled ? fn(sshd!, origin!) : undefined));

stest('push over SFTP, then a fresh clone pulls: every stage fresh, artifacts identical', (s, o) => {
  const pushed = o.cli(['push'], env);
  assert.is(pushed.code, 0, pushed.stderr);
  assert.match(pushed.stdout, /pushed profile tiny to lab \(sftp:\/\/127\.0\.0\.1:\d+\/.*\): [1-9]\d* blob\(s\).*; 4 run record\(s\); 4 journal line\(s\)/);
  assert.ok(existsSync(join(s.dir, 'remote/vthinker-remote.json')));
  assert.is(readdirSync(join(s.dir, 'remote/runs')).length, 4);
  const again = o.cli(['push'], env);
  assert.match(again.stdout, /: 0 blob\(s\), 0 B; 0 run record\(s\); 0 journal line\(s\)/);

  const c = cloneOf(o);
  made.push(c);
  const pulled = c.cli(['pull', '--jobs', '2'], env);
  assert.is(pulled.code, 0, pulled.stderr);
  assert.match(pulled.stdout, /pulled profile tiny from lab .*4 run record\(s\); 4 journal line\(s\)/);
  assert.equal(states(c), ALL_FRESH);
  assert.equal(tree(join(c.root, 'artifacts/tiny')), tree(join(o.root, 'artifacts/tiny')));
});

stest('an unknown host key is refused, with the command that trusts it', (s, o) => {
  const c = cloneOf(o, config(s, { knownHosts: join(s.dir, 'empty_known_hosts') }));
  made.push(c);
  const r = c.cli(['pull'], env);
  assert.is(r.code, 1);
  assert.match(r.stderr, `host key of 127.0.0.1:${s.port} is not in ${join(s.dir, 'empty_known_hosts')}; check its fingerprint, then \`ssh-keyscan -p ${s.port} 127.0.0.1 >>`);
  assert.is(r.stderr.trim().split('\n').length, 1);
});

stest('a key the server does not accept: authentication failed', (s, o) => {
  const c = cloneOf(o, config(s, { key: s.strangerKey }));
  made.push(c);
  const r = c.cli(['pull'], env);
  assert.is(r.code, 1);
  assert.match(r.stderr, `vthinker: remote lab (sftp://127.0.0.1:${s.port}${s.dir}/remote): authentication failed for `);
  assert.is(r.stderr.trim().split('\n').length, 1);
});

stest('a closed port: cannot reach the remote', async (s, o) => {
  const closed = await freePort();
  const c = cloneOf(o, config(s, { port: closed }));
  made.push(c);
  const r = c.cli(['pull'], env);
  assert.is(r.code, 1);
  assert.match(r.stderr, `vthinker: cannot reach remote lab (sftp://127.0.0.1:${closed}${s.dir}/remote): ECONNREFUSED (is the host up and sshd listening on port ${closed}?)`);
});

test.run();
