/**
 * The callback fs calls on a descriptor, as promises: for message files read in a few calls each,
 * they cost less than fs/promises FileHandles (no handle object to track and close per file).
 */
import { close, fstat, open, read } from 'node:fs';
import { promisify } from 'node:util';

export const openFd = promisify(open);
export const closeFd = promisify(close);
export const statFd = promisify(fstat);

/** Reads up to `length` bytes at `position` into `buf` at `offset`; resolves with the count read. */
export function readFd(
  fd: number,
  buf: Buffer,
  offset: number,
  length: number,
  position: number,
): Promise<number> {
  return new Promise((resolve, reject) =>
    read(fd, buf, offset, length, position, (err, n) => (err ? reject(err) : resolve(n))),
  );
}
