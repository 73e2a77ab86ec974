import { parentPort } from 'node:worker_threads';
import { jsCrypt } from './js-crypt.js';

/** Worker thread body: `{ id, password, setting }` in, `{ id, result }` out. */
export interface CryptTask {
  readonly id: number;
  readonly password: Uint8Array;
  readonly setting: string;
}
export interface CryptReply {
  readonly id: number;
  readonly result: string | null;
  readonly error?: string;
}

parentPort?.on('message', (task: CryptTask) => {
  let reply: CryptReply;
  try {
    reply = { id: task.id, result: jsCrypt(Buffer.from(task.password), task.setting) ?? null };
  } catch (err) {
    reply = { id: task.id, result: null, error: String((err as Error).message) };
  }
  parentPort!.postMessage(reply);
});
