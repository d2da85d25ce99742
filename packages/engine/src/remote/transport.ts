// What push and pull need from a remote, whatever it is: list a folder, read a small file, copy a file down, and copy
// one up atomically (a reader never sees half a blob, and an interrupted push leaves only whole files behind).
import { UserError } from '../errors.ts';

export interface Transport {
  /** A short description for messages: the remote's name and URL. */
  readonly label: string;
  /** File names in a folder under the remote's root (temporary files excluded); [] when the folder does not exist. */
  list(dir: string): Promise<string[]>;
  /** A small file's bytes; undefined when it does not exist. */
  read(path: string): Promise<Buffer | undefined>;
  /** Copies a remote file to a local path; the caller verifies its content. */
  download(path: string, local: string): Promise<void>;
  /** Writes a local file (or bytes) to `path`, creating folders: under a temporary name beside it, then renamed. */
  upload(source: string | Uint8Array, path: string): Promise<void>;
  close(): Promise<void>;
}

/** A remote that cannot be reached, refuses us, or fails mid-transfer: a one-line message, exit status 1. */
export class RemoteError extends UserError {}

/** Names of files being written by some pusher: never listed as present. */
export const isTemporary = (name: string): boolean => name.includes('.tmp-');
