#!/usr/bin/env node
// Session worker: started (as root) by WorkerPool; becomes the account at once, then runs the
// post-login session function for every connection it is handed.
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { closeGracefully } from '../connection/close-gracefully.js';
import { SessionRegistry } from '../connection/session-registry.js';
import { createRootLogger } from '../log/root-logger.js';
import { stderrSink } from '../log/stderr-sink.js';
import { collectWhenIdle } from '../process/idle-gc.js';
import { dropPrivileges } from './drop-privileges.js';
import type { ParentMessage, SessionMain, SessionWarmUp, WorkerMessage } from './types.js';

/** How often a worker with sessions reports its event-loop utilisation. */
const LOAD_REPORT_MS = 500;

/** Everything lives in this closure: an entry point, no module-level state. */
function runWorker(argv: readonly string[]): void {
  const [moduleUrl, exportName, warmUpExport] = argv;
  const registry = new SessionRegistry();
  /** A spare's warm-up in progress, and how to stop it when an account claims the process. */
  let warming: Promise<void> | undefined;
  const stopWarming = new AbortController();
  let main: SessionMain<unknown> | undefined;
  let rootLog: ReturnType<typeof createRootLogger> | undefined;
  let shuttingDown = false;

  function reply(m: WorkerMessage): void {
    if (process.connected) process.send?.(m);
  }

  /**
   * Spare worker, before it serves anyone: the session module's warm-up runs its code on scratch
   * data (a private directory it removes), so that the first real session finds compiled code.
   */
  async function warm(arg: unknown): Promise<void> {
    const t0 = performance.now();
    try {
      const mod = (await import(moduleUrl!)) as Record<string, unknown>;
      const fn = warmUpExport ? mod[warmUpExport] : undefined;
      if (typeof fn === 'function') await (fn as SessionWarmUp)(arg, stopWarming.signal);
    } catch {
      // Warming up is an optimisation: a failure leaves a process that serves sessions all the same.
    }
    // What the warm-up left is not collected here: a collection would also throw away much of the
    // code compiled during the warm-up (the objects it was compiled for are garbage now), and the
    // first session would compile it again. The spare keeps that heap while it waits; once claimed,
    // the idle collector below frees it when the process is quiet.
    reply({ type: 'warmed', ms: Math.round(performance.now() - t0) });
  }

  async function init(m: Extract<ParentMessage, { type: 'init' }>): Promise<void> {
    if (warming) {
      stopWarming.abort();
      await warming;
    }
    try {
      dropPrivileges(m.ids);
    } catch (err) {
      reply({ type: 'init-failed', reason: (err as Error).message });
      process.exit(1);
    }
    // Not process.stderr: see stderr-sink.ts (the sessions' socket writes stay compiled).
    rootLog = createRootLogger({ format: m.log.format, level: m.log.level, destination: stderrSink() });
    try {
      process.chdir(m.ids.home);
    } catch (err) {
      // Sessions use absolute maildir paths; a missing home is reported, not fatal.
      rootLog.warn({ err, home: m.ids.home }, `cannot chdir to home ${m.ids.home}`);
    }
    const mod = (await import(moduleUrl!)) as Record<string, unknown>;
    const fn = mod[exportName!];
    if (typeof fn !== 'function') {
      reply({ type: 'init-failed', reason: `${moduleUrl}#${exportName} is not a function` });
      process.exit(1);
    }
    main = fn as SessionMain<unknown>;
    reply({ type: 'ready', uid: process.getuid?.() ?? -1, gid: process.getgid?.() ?? -1 });
    // How busy this process is, for the pool's placement of new sessions, and when it is quiet
    // enough to collect its garbage (idle-gc.ts; the worker runs with --expose-gc). From 0: the
    // first quiet minute collects what the warm-up left (not collected when it ended).
    collectWhenIdle({
      everyMs: LOAD_REPORT_MS,
      who: 'idle session worker',
      baseline: 0,
      collected: (text) => rootLog?.info(text),
      onSample: (elu) => {
        if (registry.size > 0) reply({ type: 'load', elu });
      },
    });
  }

  function startSession(m: Extract<ParentMessage, { type: 'session' }>, socket: Socket | undefined): void {
    if (!socket || !main || !rootLog) {
      socket?.destroy();
      reply({ type: 'ended', id: m.id });
      return;
    }
    const log = rootLog.child(m.bindings);
    const fn = main;
    void registry
      .run((signal) =>
        fn(socket, {
          init: m.init,
          pending: Buffer.from(m.pending),
          log,
          signal,
          waiting: (waiting) => reply({ type: 'waiting', id: m.id, waiting }),
        }),
      )
      .catch((err: unknown) => log.error({ err }, 'session failed'))
      .then(() => closeGracefully(socket))
      .finally(() => {
        socket.destroy();
        reply({ type: 'ended', id: m.id });
        if (shuttingDown && registry.size === 0) process.exit(0);
      });
  }

  async function shutdown(): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    // A spare still warming up removes its scratch maildir first.
    stopWarming.abort();
    await warming;
    await registry.shutdown();
    process.exit(0);
  }

  process.on('message', (m: ParentMessage, handle: unknown) => {
    if (m.type === 'init') void init(m);
    else if (m.type === 'warm') warming ??= warm(m.arg);
    else if (m.type === 'session') startSession(m, handle as Socket | undefined);
    else if (m.type === 'shutdown') void shutdown();
  });
  process.on('disconnect', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGHUP', () => {});
}

runWorker(process.argv.slice(2));
