// A post-login session for WorkerPool tests: says which process serves it, then answers lines:
// `wait` (the session now waits on its client, as IMAP IDLE), `work` (busy again), `quit`, and
// `flags` (the worker's node arguments, and whether it has gc()).
import type { SessionMain } from '@courier-ts/runtime';

export const pidSession: SessionMain<unknown> = async (stream, ctx) => {
  stream.write(`pid ${process.pid}\n`);
  let buffered = '';
  for await (const chunk of stream) {
    buffered += (chunk as Buffer).toString('latin1');
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line === 'quit') {
        stream.end('bye\n');
        return;
      }
      if (line === 'flags') {
        const gc = typeof (globalThis as { gc?: unknown }).gc;
        stream.write(`flags ${process.execArgv.join(' ')} gc=${gc}\n`);
        continue;
      }
      if (line === 'wait') ctx.waiting?.(true);
      if (line === 'work') ctx.waiting?.(false);
      stream.write(`ok ${line}\n`);
    }
  }
};
