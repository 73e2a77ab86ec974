import { isIPv4 } from 'node:net';

/**
 * Courier prints every client address in IPv6 form (couriertcpd listens on an IPv6 socket):
 * `127.0.0.1` becomes `::ffff:127.0.0.1`; IPv6 addresses are printed as they are.
 */
export function courierAddress(address: string | undefined): string {
  if (address === undefined || address === '') return '';
  if (isIPv4(address)) return `::ffff:${address}`;
  return address;
}

/** The bare IP (IPv4-mapped IPv6 reduced to IPv4), used as the MAXPERIP key and for per-IP files. */
export function plainAddress(address: string | undefined): string {
  if (address === undefined) return '';
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}
