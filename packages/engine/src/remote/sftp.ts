// A remote on an SSH server, over SFTP with the ssh2 package (loaded only for such a remote). ssh2 rather than the
// `sftp` program: structured listings and errors (unreachable, auth, host key tell apart), many transfers in flight on
// one connection, and OpenSSH's atomic posix-rename; the price is that ~/.ssh/config is not read, so the remote's URL
// names the host, user and port, and `identity:` the key (else ssh-agent, else ~/.ssh/id_ed25519|id_ecdsa|id_rsa).
import { existsSync, readFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join, posix } from 'node:path';
import type { AgentAuthMethod, Client, ConnectConfig, PublicKeyAuthMethod, SFTPWrapper } from 'ssh2';
import type { RemoteSpec } from './config.ts';
import { checkHostKey, type HostKeyVerdict } from './known-hosts.ts';
import { optionalPeer } from '../optional.ts';
import { remoteMsg as msg } from './messages.ts';
import { isTemporary, RemoteError, type Transport } from './transport.ts';

type SftpSpec = Extract<RemoteSpec, { kind: 'sftp' }>;

/** SFTP status codes (draft-ietf-secsh-filexfer-02): the ones we tell apart. */
const NO_SUCH_FILE = 2;
const CONNECT_TIMEOUT_MS = 15_000;
const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

let counter = 0;

export async function openSftp(spec: SftpSpec): Promise<Transport> {
  const label = `${spec.name} (${spec.url})`;
  const { Client: SshClient, utils } = (await optionalPeer('ssh2', 'an SFTP remote', () => import('ssh2'))).default;
  const keys = privateKeys(spec, label, utils.parseKey);
  const agent = process.env.SSH_AUTH_SOCK;
  if (!keys.length && !agent) {
    throw new RemoteError(msg.noKey(label));
  }
  let verdict: HostKeyVerdict | undefined;
  const config: ConnectConfig = {
    host: spec.host,
    port: spec.port,
    username: spec.user,
    readyTimeout: CONNECT_TIMEOUT_MS,
    hostVerifier: (key: Buffer) => (verdict = checkHostKey(spec.knownHosts, spec.host, spec.port, key)) === 'known',
    authHandler: [
      ...(agent ? [{ type: 'agent', username: spec.user, agent } satisfies AgentAuthMethod] : []),
      ...keys.map((key) => ({ type: 'publickey', username: spec.user, key }) satisfies PublicKeyAuthMethod),
    ] as Array<AgentAuthMethod | PublicKeyAuthMethod>,
  };
  const client = new SshClient();
  const sftp = await new Promise<SFTPWrapper>((resolve, reject) => {
    client.once('error', (error: Error & { level?: string; code?: string }) => reject(connectError(spec, label, error, verdict)));
    client.once('ready', () => client.sftp((error, s) => (error ? reject(new RemoteError(msg.noSftp(label, error.message))) : resolve(s))));
    client.connect(config);
    // Without it every small request waits out Nagle's algorithm: 50 one-blob uploads took 21 s instead of 0.1 s.
    client.setNoDelay(true);
  });
  client.on('error', () => undefined); // later errors surface through the pending call that meets them
  return sftpTransport(spec, label, client, sftp);
}

function sftpTransport(spec: SftpSpec, label: string, client: Client, sftp: SFTPWrapper): Transport {
  const at = (path: string) => posix.join(spec.path, path);
  const call = <T>(what: string, fn: (cb: (error: (Error & { code?: number }) | null | undefined, value?: T) => void) => void) =>
    new Promise<T>((resolve, reject) =>
      fn((error, value) => (error ? reject(Object.assign(new RemoteError(msg.ioFailed(label, what, error.message)), { status: error.code })) : resolve(value as T))),
    );
  const absent = (error: unknown) => (error as { status?: number }).status === NO_SUCH_FILE;
  const made = new Set<string>();
  const mkdirs = async (dir: string): Promise<void> => {
    if (made.has(dir) || dir === '.' || dir === '/') return;
    await mkdirs(posix.dirname(dir));
    // Another pusher may create it first: mkdir failing is fine when the folder is then there.
    await call<void>(`create ${dir}`, (cb) => sftp.mkdir(dir, cb)).catch(async (error) => {
      const st = await call<{ isDirectory(): boolean }>(`stat ${dir}`, (cb) => sftp.stat(dir, cb)).catch(() => undefined);
      if (!st?.isDirectory()) throw error;
    });
    made.add(dir);
  };
  return {
    label,
    async list(dir) {
      try {
        const entries = await call<Array<{ filename: string }>>(`list ${dir}`, (cb) => sftp.readdir(at(dir), cb));
        return entries.map((e) => e.filename).filter((n) => !isTemporary(n));
      } catch (error) {
        if (absent(error)) return [];
        throw error;
      }
    },
    async read(path) {
      try {
        return await call<Buffer>(`read ${path}`, (cb) => sftp.readFile(at(path), cb));
      } catch (error) {
        if (absent(error)) return undefined;
        throw error;
      }
    },
    async download(path, local) {
      await call<void>(`read ${path}`, (cb) => sftp.fastGet(at(path), local, cb));
    },
    async upload(source, path) {
      const target = at(path);
      const tmp = `${target}.tmp-${hostname()}-${process.pid}-${++counter}`;
      await mkdirs(posix.dirname(target));
      try {
        if (typeof source === 'string') await call<void>(`write ${path}`, (cb) => sftp.fastPut(source, tmp, { mode: 0o444 }, cb));
        else await call<void>(`write ${path}`, (cb) => sftp.writeFile(tmp, Buffer.from(source), { mode: 0o444 }, cb));
        // posix-rename replaces an existing target atomically (plain SFTP rename refuses to): a racing pusher of the
        // same content-named file is harmless.
        await call<void>(`write ${path}`, (cb) => sftp.ext_openssh_rename(tmp, target, cb));
      } catch (error) {
        await call<void>('clean up', (cb) => sftp.unlink(tmp, cb)).catch(() => undefined);
        throw error;
      }
    },
    async close() {
      sftp.end();
      client.end();
    },
  };
}

/** The configured identity, or the user's default keys; an encrypted key without an agent is an error. */
function privateKeys(spec: SftpSpec, label: string, parseKey: (data: Buffer) => unknown): Buffer[] {
  const candidates = spec.identity ? [spec.identity] : DEFAULT_KEYS.map((k) => join(homedir(), '.ssh', k)).filter((p) => existsSync(p));
  const keys: Buffer[] = [];
  for (const path of candidates) {
    let data: Buffer;
    try {
      data = readFileSync(path);
    } catch (error) {
      throw new RemoteError(msg.identityUnreadable(label, path, (error as NodeJS.ErrnoException).code ?? (error as Error).message));
    }
    const parsed = parseKey(data);
    if (parsed instanceof Error) {
      // A passphrase is for ssh-agent to ask: the default keys are skipped, a named identity is an error.
      if (!spec.identity) continue;
      throw new RemoteError(msg.identityUnusable(label, path, parsed.message));
    }
    keys.push(data);
  }
  return keys;
}

function connectError(spec: SftpSpec, label: string, error: Error & { level?: string; code?: string }, verdict?: HostKeyVerdict): RemoteError {
  if (verdict === 'unknown') return new RemoteError(msg.hostKeyUnknown(label, spec.host, spec.port, spec.knownHosts));
  if (verdict === 'mismatch' || verdict === 'revoked') return new RemoteError(msg.hostKeyRefused(label, spec.host, spec.port, spec.knownHosts, verdict));
  if (error.level === 'client-authentication') return new RemoteError(msg.authFailed(label, `${spec.user}@${spec.host}`));
  if (error.level === 'client-timeout') return new RemoteError(msg.handshakeTimeout(label, CONNECT_TIMEOUT_MS / 1000));
  return new RemoteError(msg.unreachable(label, error.code ?? error.message, spec.port));
}
