// Host key checking against an OpenSSH known_hosts file, so an SFTP remote is the server it claims to be: plain and
// hashed (|1|salt|hash) host names, [host]:port for other ports, * and ? patterns, @revoked keys.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

export type HostKeyVerdict = 'known' | 'unknown' | 'mismatch' | 'revoked';

/** What known_hosts says about `key` (the raw public key blob the server sent) for host:port. */
export function checkHostKey(knownHosts: string, host: string, port: number, key: Buffer): HostKeyVerdict {
  let text: string;
  try {
    text = readFileSync(knownHosts, 'utf8');
  } catch {
    return 'unknown';
  }
  const name = port === 22 ? host : `[${host}]:${port}`;
  let verdict: HostKeyVerdict = 'unknown';
  for (const raw of text.split('\n')) {
    const fields = raw.trim().split(/\s+/);
    if (!fields[0] || fields[0].startsWith('#')) continue;
    const marker = fields[0].startsWith('@') ? fields.shift() : undefined;
    const [hosts, , blob] = fields;
    if (!hosts || !blob || marker === '@cert-authority' || !matchesHost(hosts, name)) continue;
    const same = Buffer.from(blob, 'base64').equals(key);
    // A revoked key is refused wherever its line stands in the file.
    if (marker === '@revoked') {
      if (same) return 'revoked';
    } else if (same) verdict = 'known';
    else if (verdict === 'unknown') verdict = 'mismatch';
  }
  return verdict;
}

function matchesHost(patterns: string, name: string): boolean {
  if (patterns.startsWith('|1|')) {
    const [, , salt, hash] = patterns.split('|');
    return !!salt && !!hash && createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  let matched = false;
  for (const p of patterns.split(',')) {
    const negated = p.startsWith('!');
    if (!glob(negated ? p.slice(1) : p).test(name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

const glob = (pattern: string): RegExp =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
