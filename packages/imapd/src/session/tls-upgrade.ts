/**
 * STARTTLS on a session's socket: whatever the client sent after the command in plaintext is
 * dropped (and logged), the pending reply flushed, then the handshake; on success the session's
 * I/O goes on over the TLS socket.
 */
import type { Socket } from 'node:net';
import { discardUnread, writeAndFlush } from '@courier-ts/runtime';
import type { Logger } from 'pino';
import type { LoginServices } from './command.js';
import type { ImapIo } from './io.js';

/** False when the handshake failed (the session ends). */
export async function upgradeToTls(io: ImapIo, login: LoginServices, log: Logger): Promise<boolean> {
  const socket = io.stream as Socket;
  const leaked = io.detach().length + discardUnread(socket);
  if (leaked > 0) log.warn({ bytes: leaked }, 'discarded plaintext sent after STARTTLS');
  await writeAndFlush(socket, '');
  const r = await login.upgrade(socket);
  if (r.kind === 'failed') {
    log.info({ reason: r.reason }, 'STARTTLS handshake failed');
    return false;
  }
  io.replaceStream(r.socket);
  return true;
}
