/** Maps file-system failures of writes to the package's typed errors. */
import { OverQuotaError, TemporarilyUnavailableError } from '../errors.js';

export function mapWriteError(err: unknown, what: string): unknown {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'EDQUOT') return new OverQuotaError({ cause: err });
  if (code === 'ENOSPC' || code === 'EAGAIN' || code === 'EMFILE' || code === 'ENFILE' || code === 'EIO')
    return new TemporarilyUnavailableError(`${what}: ${code}`, { cause: err });
  return err;
}
