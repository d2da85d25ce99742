// A remote that is a folder: a shared mount (NFS, SMB, a synced drive) or a local disk. Files appear by rename from a
// temporary name in the same folder, which is atomic on one filesystem, so concurrent pushers and readers are safe.
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { RemoteSpec } from './config.ts';
import { remoteMsg as msg } from './messages.ts';
import { isTemporary, RemoteError, type Transport } from './transport.ts';

let counter = 0;

export function openDir(spec: Extract<RemoteSpec, { kind: 'dir' }>): Transport {
  const label = `${spec.name} (${spec.path})`;
  // A missing parent is most likely an unmounted share: creating the folder there would fill the wrong disk.
  if (!existsSync(dirname(spec.path))) throw new RemoteError(msg.shareMissing(label, dirname(spec.path)));
  const at = (path: string) => join(spec.path, path);
  const failed = (what: string, error: unknown) => new RemoteError(msg.ioFailed(label, what, (error as Error).message));
  return {
    label,
    async list(dir) {
      try {
        return (await readdir(at(dir))).filter((n) => !isTemporary(n));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw failed(`list ${dir}`, error);
      }
    },
    async read(path) {
      try {
        return await readFile(at(path));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw failed(`read ${path}`, error);
      }
    },
    async download(path, local) {
      try {
        await copyFile(at(path), local);
      } catch (error) {
        throw failed(`read ${path}`, error);
      }
    },
    async upload(source, path) {
      const target = at(path);
      const tmp = `${target}.tmp-${hostname()}-${process.pid}-${++counter}`;
      try {
        await mkdir(dirname(target), { recursive: true });
        if (typeof source === 'string') await copyFile(source, tmp);
        else await writeFile(tmp, source);
        // Remote files are immutable (named by content or key): read-only, like the store's blobs.
        await chmod(tmp, 0o444);
        await rename(tmp, target);
      } catch (error) {
        await rm(tmp, { force: true });
        throw failed(`write ${path}`, error);
      }
    },
    async close() {},
  };
}
