/** Resolved options shared by every module of one opened maildir (no module-level state). */
import { performance } from 'node:perf_hooks';
import { resolveHostname, timeParts, type UniqueParts } from '../message/unique-name.js';
import { type MaildirSharing, privateSharing } from '../store/sharing.js';
import type { Clock, MaildirLogger, OpenMaildirOptions } from '../types.js';

export interface MaildirContext {
  readonly root: string;
  readonly hostname: string;
  readonly log: MaildirLogger;
  readonly clock: Clock;
  readonly pid: number;
  readonly trashFolder: string;
  readonly quotaOverride: string | undefined;
  readonly useCache: boolean;
  /** Shared with the other maildirs of this process, or this maildir's own. */
  readonly sharing: MaildirSharing;
  /** Fresh unique-name parts with a per-instance counter (`_<n>`). */
  unique(prefix?: string): UniqueParts;
}

const noop = (): void => {};
export const SILENT_LOGGER: MaildirLogger = { debug: noop, info: noop, warn: noop, error: noop };
export const SYSTEM_CLOCK: Clock = { now: () => performance.timeOrigin + performance.now() };

export function resolveContext(root: string, options: OpenMaildirOptions): MaildirContext {
  const hostname = resolveHostname(options.hostname);
  const clock = options.clock ?? SYSTEM_CLOCK;
  const pid = process.pid;
  let counter = 0;
  return {
    root,
    hostname,
    log: options.log ?? SILENT_LOGGER,
    clock,
    pid,
    trashFolder: options.trashFolder ?? 'Trash',
    quotaOverride: options.quotaOverride,
    useCache: options.useCache ?? true,
    sharing: options.sharing ?? privateSharing(),
    unique(prefix?: string): UniqueParts {
      const n = counter++;
      return {
        ...timeParts(clock.now()),
        pid,
        host: hostname,
        uniq: prefix === undefined ? String(n) : `${prefix}${n}`,
      };
    },
  };
}
