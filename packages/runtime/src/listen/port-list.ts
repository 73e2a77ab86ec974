import { isIP } from 'node:net';
import { RuntimeError } from '../errors.js';

/** One socket to listen on. `host` undefined = every address (IPv6 dual-stack, else IPv4). */
export interface ListenBinding {
  readonly host: string | undefined;
  readonly port: number;
  readonly tls: boolean;
}

function parsePort(text: string, whole: string): number {
  if (!/^\d+$/.test(text)) throw new RuntimeError('BAD_PORT_LIST', `bad port "${text}" in "${whole}"`);
  const n = Number(text);
  if (n > 65535) throw new RuntimeError('BAD_PORT_LIST', `port ${n} out of range in "${whole}"`);
  return n;
}

/** ADDRESS: `0` (or empty) means all addresses. */
export function parseAddress(address: string | undefined): string | undefined {
  const a = (address ?? '').trim();
  if (a === '' || a === '0') return undefined;
  const bare = a.startsWith('[') && a.endsWith(']') ? a.slice(1, -1) : a;
  if (isIP(bare) === 0) throw new RuntimeError('BAD_PORT_LIST', `bad address "${a}"`);
  return bare;
}

/**
 * Courier's couriertcpd port list: comma-separated `port` or `address.port` entries
 * (`110`, `127.0.0.1.110`, `::1.110`, `[::1].110`); a bare port binds ADDRESS.
 */
export function parsePortList(list: string, address: string | undefined, tls: boolean): ListenBinding[] {
  const defaultHost = parseAddress(address);
  const out: ListenBinding[] = [];
  for (const raw of list.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const dot = item.lastIndexOf('.');
    if (dot === -1) {
      out.push({ host: defaultHost, port: parsePort(item, list), tls });
      continue;
    }
    const host = parseAddress(item.slice(0, dot));
    out.push({ host, port: parsePort(item.slice(dot + 1), list), tls });
  }
  if (out.length === 0) throw new RuntimeError('BAD_PORT_LIST', `empty port list "${list}"`);
  return out;
}
