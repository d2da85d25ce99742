// Host keys are checked against known_hosts as OpenSSH does: plain, hashed and [host]:port names, patterns, @revoked.
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkHostKey } from '../../src/remote/known-hosts.ts';

const dir = mkdtempSync(join(tmpdir(), 'vt-known-hosts-'));
const file = join(dir, 'known_hosts');
/** An ssh-ed25519 public key blob: string type, then the 32-byte key, each length-prefixed. */
const keyBlob = (): Buffer => {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const part = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return Buffer.concat([part(Buffer.from('ssh-ed25519')), part(raw)]);
};
const [k1, k2] = [keyBlob(), keyBlob()];
const line = (hosts: string, key: Buffer) => `${hosts} ssh-ed25519 ${key.toString('base64')}`;
const hashed = (name: string) => {
  const salt = Buffer.from('0123456789abcdefghij');
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
};
const known = (text: string) => writeFileSync(file, text);

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('plain names, port 22 and [host]:port', () => {
  known(`# comment\n${line('gpu-box,10.0.0.2', k1)}\n${line('[gpu-box]:2222', k2)}\n`);
  assert.is(checkHostKey(file, 'gpu-box', 22, k1), 'known');
  assert.is(checkHostKey(file, '10.0.0.2', 22, k1), 'known');
  assert.is(checkHostKey(file, 'gpu-box', 2222, k2), 'known');
  assert.is(checkHostKey(file, 'gpu-box', 2222, k1), 'mismatch');
  assert.is(checkHostKey(file, 'other', 22, k1), 'unknown');
});

test('hashed names and patterns', () => {
  known(`${line(hashed('[127.0.0.1]:2022'), k1)}\n${line('*.lab,!bad.lab', k2)}\n`);
  assert.is(checkHostKey(file, '127.0.0.1', 2022, k1), 'known');
  assert.is(checkHostKey(file, '127.0.0.1', 22, k1), 'unknown');
  assert.is(checkHostKey(file, 'node7.lab', 22, k2), 'known');
  assert.is(checkHostKey(file, 'bad.lab', 22, k2), 'unknown');
});

test('@revoked wins; @cert-authority lines are not host keys; a missing file knows nothing', () => {
  known(`${line('box', k1)}\n@revoked ${line('*', k1)}\n@cert-authority ${line('*', k2)}\n`);
  assert.is(checkHostKey(file, 'box', 22, k1), 'revoked');
  assert.is(checkHostKey(file, 'box', 22, k2), 'mismatch');
  assert.is(checkHostKey(join(dir, 'absent'), 'box', 22, k1), 'unknown');
});

test.run();
