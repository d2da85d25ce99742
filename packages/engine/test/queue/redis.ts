// A private redis-server for queue tests: a random free loopback port, no persistence, stopped after. Without
// redis-server the tests fail in CI (CI=true: .ci/run installs it) and are skipped locally with a notice.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export function haveRedis(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** True when queue tests should run; throws in CI when redis-server is missing. */
export function requireRedis(): boolean {
  if (haveRedis()) return true;
  const text = 'redis-server is not installed: the queue executor tests need it (apt-get install redis-server)';
  if (process.env.CI && !['0', 'false'].includes(process.env.CI)) throw new Error(`${text}; .ci/run installs it in CI`);
  console.log(`NOTICE: skipping queue tests: ${text}`);
  return false;
}

/** A port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startRedis(): Promise<RedisServer> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 5000);
      child.stdout!.on('data', () => /Ready to accept connections/.test(out) && (clearTimeout(timer), resolve(true)));
      child.once('exit', () => (clearTimeout(timer), resolve(false)));
    });
    if (ready) {
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        stop: () =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      };
    }
    child.kill('SIGKILL');
    if (attempt >= 3) throw new Error(`redis-server did not start:\n${out}`);
  }
}
