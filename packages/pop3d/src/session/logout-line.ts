/** Courier's accounting line (acctout() in pop3dserver.c). */
export interface AcctFields {
  readonly user: string;
  readonly ip: string;
  readonly port: number | string;
  readonly top: number;
  readonly retr: number;
  readonly rcvd: number;
  readonly sent: number;
  readonly seconds: number;
  readonly tls: boolean;
}

/** `LOGOUT, user=u, ip=[::ffff:1.2.3.4], port=[5], top=0, retr=0, rcvd=6, sent=30, time=0[, stls=1]` */
export function acctLine(event: 'LOGOUT' | 'DISCONNECTED' | 'TIMEOUT', f: AcctFields): string {
  const stls = f.tls ? ', stls=1' : '';
  return (
    `${event}, user=${f.user}, ip=[${f.ip}], port=[${f.port}], top=${f.top}, retr=${f.retr}, ` +
    `rcvd=${f.rcvd}, sent=${f.sent}, time=${f.seconds}${stls}`
  );
}

/** `LOGIN, user=u, ip=[...], port=[...]` as courierpop3d writes it (no protocol= field). */
export function loginLine(user: string, ip: string, port: number | string): string {
  return `LOGIN, user=${user}, ip=[${ip}], port=[${port}]`;
}
