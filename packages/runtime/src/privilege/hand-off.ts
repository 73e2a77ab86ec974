import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { stopReadingAndDrain } from '../io/stop-reading.js';
import type { SocketPairFactory } from './socket-pair.js';
import type { ParentMessage } from './types.js';

export interface HandOffTo {
  readonly child: ChildProcess;
  /** The message that goes with the connection, given the bytes the client sent ahead. */
  readonly message: (pending: Buffer) => ParentMessage;
  /** For a relayed (TLS) connection: where the socket pair comes from. */
  readonly pairs: SocketPairFactory;
}

/**
 * Give a logged-in connection to a worker process. A plain TCP socket goes over as a handle: bytes
 * that arrived while the worker was getting ready are taken out of this process's socket buffer in
 * the same tick and sent along, so nothing is lost on the way. A TLS socket (`relay`) stays here and
 * is relayed through a unix socket pair, whose other end goes over instead.
 */
export async function handOff(to: HandOffTo, stream: Socket, relay: boolean, pending: Buffer): Promise<void> {
  if (relay) {
    const [mine, theirs] = await to.pairs.pair();
    stream.pipe(mine);
    mine.pipe(stream);
    const closeBoth = (): void => {
      mine.destroy();
      stream.destroy();
    };
    mine.on('error', closeBoth);
    mine.on('close', closeBoth);
    stream.on('error', closeBoth);
    stream.on('close', closeBoth);
    await send(to.child, to.message(pending), theirs);
    return;
  }
  const late = stopReadingAndDrain(stream);
  await send(to.child, to.message(late.length > 0 ? Buffer.concat([pending, late]) : pending), stream);
  detach(stream);
}

/**
 * The socket object of a connection that went over as a handle stays referenced here until its
 * session ends (the connection's slot in MAXDAEMONS/MAXPERIP is released then), which can be days.
 * It no longer has a handle and never emits data again; its listeners still tie objects of the
 * login phase to it (the reply writer and the closures of its close handler): they go.
 */
function detach(stream: Socket): void {
  stream.removeAllListeners();
  stream.on('error', () => {});
}

function send(child: ChildProcess, msg: ParentMessage, handle: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    child.send(msg, handle, (err) => (err ? reject(err) : resolve()));
  });
}
