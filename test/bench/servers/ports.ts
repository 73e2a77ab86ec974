// Loopback ports for the bench's server instances, away from the 10xxx-13xxx ranges the tests use.
import { createServer } from 'node:net';

export function portFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

/** `preferred` when all are free, else as many free ports in [base, base+999] (distinct). */
export async function pickPorts(preferred: readonly number[], base: number): Promise<number[]> {
  if ((await Promise.all(preferred.map((p) => portFree(p)))).every(Boolean)) return [...preferred];
  return freePorts(preferred.length, base);
}

/** `count` distinct free ports in [base, base+999], picked at random. */
export async function freePorts(count: number, base: number): Promise<number[]> {
  const got: number[] = [];
  for (let tries = 0; got.length < count && tries < 500; tries++) {
    const p = base + Math.floor(Math.random() * 1000);
    if (!got.includes(p) && (await portFree(p))) got.push(p);
  }
  if (got.length < count) throw new Error(`no free ports in ${base}-${base + 999}`);
  return got;
}

/** Wait until something accepts connections on port, or `deadline` (ms epoch) passes. */
export async function waitListening(
  port: number,
  deadline: number,
  alive: () => boolean = () => true,
): Promise<boolean> {
  while (Date.now() < deadline && alive()) {
    if (!(await portFree(port))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !(await portFree(port));
}
