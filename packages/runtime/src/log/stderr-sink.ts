import { pino } from 'pino';
import type { TextSink } from './text-destination.js';

/**
 * Standard error as pino's own default destination writes it (sonic-boom): one synchronous
 * write(2) on fd 2 per record, retried while the pipe is full, rather than through Node's
 * process.stderr stream.
 *
 * A session worker logs this way because its sessions' sockets go through Node's stream code
 * (Writable.write, Socket._write, ...): process.stderr is another kind of stream (a socket over
 * a pipe, a tty or a file), so its first log line made those functions see a second shape and
 * threw away the code V8 had compiled for the session sockets during the warm-up (wrong-map
 * deoptimisations at the first session's LOGIN line). Measured on a 10,000-message body download:
 * the first pass in a worker cost 8-20% more server CPU than the second, and 0-3% more this way.
 */
export function stderrSink(): TextSink {
  const dest = pino.destination({ dest: 2, sync: true });
  // A log that cannot be written (a full disk; pino stops logging by itself on EPIPE) is lost, and
  // the sessions go on.
  dest.on('error', () => undefined);
  return dest;
}
