import type { Logger } from 'pino';
import { createRootLogger } from '../log/root-logger.js';
import type { WorkerLogSettings } from './types.js';

/**
 * A warm-up session's logger, made as a worker makes its sessions' loggers (worker-main.ts: a root
 * logger of the server's format and level, then a child with the session's bindings), but writing
 * nowhere. Its level methods are the real ones, so code compiled during the warm-up still fits.
 */
export function warmUpLogger(settings: WorkerLogSettings, bindings: Record<string, unknown>): Logger {
  return createRootLogger({ ...settings, destination: { write: () => undefined } }).child(bindings);
}
