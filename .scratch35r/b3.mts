import { startSshd } from '../test/remote/sshd.ts';
import ssh2 from 'ssh2';
import { readFileSync } from 'node:fs';
const s = await startSshd();
const c = new ssh2.Client();
await new Promise((r) => { c.on('ready', () => { if (process.env.ND) c.setNoDelay(true); r(0); }); c.connect({ host: '127.0.0.1', port: s.port, username: 'root', privateKey: readFileSync(s.clientKey) }); });
const sftp: any = await new Promise((r) => c.sftp((e: any, x: any) => r(x)));
const p = (f: (cb: any) => void) => new Promise((res, rej) => f((e: any, v: any) => (e ? rej(e) : res(v))));
const base = s.dir;
for (const [name, fn] of [
  ['stat', (cb: any) => sftp.stat(base, cb)],
  ['writeFile', (cb: any) => sftp.writeFile(base + '/a', Buffer.from('x'), { mode: 0o444 }, cb)],
  ['rename', (cb: any) => sftp.ext_openssh_rename(base + '/a', base + '/b', cb)],
  ['readdir', (cb: any) => sftp.readdir(base, cb)],
  ['readFile', (cb: any) => sftp.readFile(base + '/b', cb)],
] as const) {
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await p(fn as any).catch((e) => console.log(name, 'err', e.message));
    console.log(name, (performance.now() - t0).toFixed(1), 'ms');
  }
}
c.end(); await s.stop();
