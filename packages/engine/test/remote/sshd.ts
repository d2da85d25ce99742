// A private OpenSSH server for the SFTP remote tests: a free loopback port, its own host key, authorized_keys and
// config in a temp folder (the system's sshd config is never read or changed), stopped after. Without sshd the tests
// fail in CI (CI=true: .ci/run installs openssh-server) and are skipped locally with a notice.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../queue/redis.ts';

const SSHD = '/usr/sbin/sshd';

/** True when SFTP tests should run; throws in CI when sshd is missing. */
export function requireSshd(): boolean {
  if (existsSync(SSHD) && spawnSync('ssh-keygen', ['-?'], { stdio: 'ignore' }).error === undefined) return true;
  const text = 'sshd is not installed: the SFTP remote tests need it (apt-get install openssh-server)';
  if (process.env.CI && !['0', 'false'].includes(process.env.CI)) throw new Error(`${text}; .ci/run installs it in CI`);
  console.log(`NOTICE: skipping SFTP remote tests: ${text}`);
  return false;
}

export interface Sshd {
  port: number;
  dir: string;
  /** A key the server accepts, and one it does not. */
  clientKey: string;
  strangerKey: string;
  /** A known_hosts file that lists this server's host key. */
  knownHosts: string;
  stop(): Promise<void>;
}

const keygen = (path: string) => {
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'vthinker-test', '-f', path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
};

export async function startSshd(): Promise<Sshd> {
  const dir = mkdtempSync(join(tmpdir(), 'vt-sshd-'));
  for (const k of ['host_key', 'client_key', 'stranger_key']) keygen(join(dir, k));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')));
  // sshd running as root insists on its privilege-separation folder, an empty runtime folder that the system's ssh
  // service would create at start; it holds no configuration.
  if (process.getuid?.() === 0 && !existsSync('/run/sshd')) mkdirSync('/run/sshd', { mode: 0o755 });
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const config = join(dir, 'sshd_config');
    writeFileSync(config, [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'AuthenticationMethods publickey',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no', // the temp folder's permissions are not sshd's business here
      'Subsystem sftp internal-sftp',
      'LogLevel ERROR',
      '',
    ].join('\n'));
    // Its log goes to a file, not a pipe: the tests block in spawnSync, and nobody would drain a pipe meanwhile.
    const log = join(dir, 'sshd.log');
    const logFd = openSync(log, 'w');
    const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', logFd] });
    closeSync(logFd);
    if (await listening(port, child)) {
      writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${readFileSync(join(dir, 'host_key.pub'), 'utf8')}`);
      return {
        port, dir,
        clientKey: join(dir, 'client_key'),
        strangerKey: join(dir, 'stranger_key'),
        knownHosts: join(dir, 'known_hosts'),
        stop: () =>
          new Promise<void>((resolve) => {
            const done = () => (rmSync(dir, { recursive: true, force: true }), resolve());
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', done);
            child.kill('SIGTERM');
          }),
      };
    }
    child.kill('SIGKILL');
    if (attempt >= 3) throw new Error(`sshd did not start:\n${readFileSync(log, 'utf8')}`);
  }
}

/** Polls until the port accepts a connection (true) or sshd exits or 10 s pass (false). */
async function listening(port: number, child: ChildProcess): Promise<boolean> {
  const until = Date.now() + 10_000;
  while (Date.now() < until && child.exitCode === null) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket: Socket = connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
