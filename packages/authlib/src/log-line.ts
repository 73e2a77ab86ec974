/**
 * Courier's wording for login log lines (fail2ban's `courierauth` filter matches these). Only the user
 * name and peer go in: never a password or SASL data.
 */
export interface LoginLogFields {
  readonly user?: string;
  readonly method?: string;
  readonly ip: string;
  readonly port: number | string;
  readonly protocol?: string;
}

/** IPv4 peers are written as `::ffff:a.b.c.d`, as couriertcpd reports them. */
export function courierIp(ip: string): string {
  return /^\d+\.\d+\.\d+\.\d+$/.test(ip) ? `::ffff:${ip}` : ip;
}

/** `LOGIN FAILED, user=alice, ip=[::ffff:192.0.2.1], port=[4711]` (or `method=PLAIN` without a user). */
export function formatLoginFailedLine(f: LoginLogFields): string {
  const who = f.user !== undefined ? `user=${f.user}` : `method=${f.method ?? 'UNKNOWN'}`;
  return `LOGIN FAILED, ${who}, ip=[${courierIp(f.ip)}], port=[${f.port}]`;
}

/** `LOGIN, user=alice, ip=[...], port=[...], protocol=IMAP`. */
export function formatLoginLine(f: LoginLogFields & { readonly user: string }): string {
  const proto = f.protocol !== undefined ? `, protocol=${f.protocol}` : '';
  return `LOGIN, user=${f.user}, ip=[${courierIp(f.ip)}], port=[${f.port}]${proto}`;
}

/** Either Courier login line: `LOGIN, ...` on success, `LOGIN FAILED, ...` on failure. */
export function formatAuthLogLine(event: 'LOGIN' | 'LOGIN FAILED', f: LoginLogFields): string {
  if (event === 'LOGIN' && f.user !== undefined) return formatLoginLine({ ...f, user: f.user });
  return formatLoginFailedLine(f);
}
