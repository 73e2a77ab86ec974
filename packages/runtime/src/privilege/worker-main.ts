#!/usr/bin/env node
// Session worker: started (as root) by WorkerPool; becomes the account at once, then runs the
// post-login session function for every connection it is handed.
import type { Socket } from 'node:net';
import { closeGracefully } from '../connection/close-gracefully.js';
import { SessionRegistry } from '../connection/session-registry.js';
import { createRootLogger } from '../log/root-logger.js';
import { dropPrivileges } from './drop-privileges.js';
import type { ParentMessage, SessionMain, WorkerMessage } from './types.js';

/** Everything lives in this closure: an entry point, no module-level state. */
function runWorker(argv: readonly string[]): void {
  const [moduleUrl, exportName] = argv;
  const registry = new SessionRegistry();
  let main: SessionMain<unknown> | undefined;
  let rootLog: ReturnType<typeof createRootLogger> | undefined;
  let shuttingDown = false;

  function reply(m: WorkerMessage): void {
    if (process.connected) process.send?.(m);
  }

  async function init(m: Extract<ParentMessage, { type: 'init' }>): Promise<void> {
    try {
      dropPrivileges(m.ids);
    } catch (err) {
      reply({ type: 'init-failed', reason: (err as Error).message });
      process.exit(1);
    }
    rootLog = createRootLogger({ format: m.log.format, level: m.log.level });
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
      .run((signal) => fn(socket, { init: m.init, pending: Buffer.from(m.pending), log, signal }))
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
    await registry.shutdown();
    process.exit(0);
  }

  process.on('message', (m: ParentMessage, handle: unknown) => {
    if (m.type === 'init') void init(m);
    else if (m.type === 'session') startSession(m, handle as Socket | undefined);
    else if (m.type === 'shutdown') void shutdown();
  });
  process.on('disconnect', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGHUP', () => {});
}

runWorker(process.argv.slice(2));
