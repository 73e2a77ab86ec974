import { type ListenBinding, parsePortList } from './listen/port-list.js';
import { type LogFormat, parseLogFormat } from './log/root-logger.js';
import { resolveTlsSettings, type TlsSettings } from './tls/tls-settings.js';

/** Anything with get(key) (config's LoadedConfig, or an environment wrapper). */
export interface KeySource {
  get(key: string): string | undefined;
}

/** A KeySource over a plain environment object (preauth mode, tests). */
export function envSource(env: Readonly<Record<string, string | undefined>>): KeySource {
  return { get: (k) => env[k] };
}

/** Courier's truthiness for YES/NO keys: y/Y/t/T or a non-zero number. */
export function courierBool(value: string | undefined, fallback = false): boolean {
  if (value === undefined) return fallback;
  const v = value.trim();
  if (/^[yYtT]/.test(v)) return true;
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) && n !== 0;
}

export function courierInt(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number.parseInt(value.trim(), 10);
  return Number.isFinite(n) ? n : fallback;
}

export interface RuntimeSettings {
  /** Plain listeners (empty when the *START switch says NO). */
  readonly plain: readonly ListenBinding[];
  /** Implicit-TLS listeners (empty when the SSL *START switch says NO). */
  readonly tls: readonly ListenBinding[];
  readonly maxDaemons: number;
  readonly maxPerIp: number;
  readonly pidFile: string;
  readonly tlsSettings: TlsSettings;
  readonly logFormat: LogFormat;
  readonly logLevel: string;
  /** As root: keep one warmed-up session worker ready for the next account (COURIER_TS_SPARE_WORKER, default 1). */
  readonly spareWorker: boolean;
}

export interface RuntimeKeyNames {
  /** e.g. POP3DSTART / IMAPDSTART */
  readonly startKey: string;
  /** e.g. POP3DSSLSTART / IMAPDSSLSTART */
  readonly sslStartKey: string;
  readonly defaultPort: string;
  readonly defaultSslPort: string;
  readonly defaultPidFile: string;
  readonly defaultCertFile: string;
}

/** Courier's listener, limit and TLS keys -> typed runtime settings (one place, no mutation). */
export function resolveRuntimeSettings(src: KeySource, names: RuntimeKeyNames): RuntimeSettings {
  const plainOn = courierBool(src.get(names.startKey), true);
  const sslOn = courierBool(src.get(names.sslStartKey), true);
  return {
    plain: plainOn ? parsePortList(src.get('PORT') ?? names.defaultPort, src.get('ADDRESS'), false) : [],
    tls: sslOn ? parsePortList(src.get('SSLPORT') ?? names.defaultSslPort, src.get('SSLADDRESS'), true) : [],
    maxDaemons: courierInt(src.get('MAXDAEMONS'), 40),
    maxPerIp: courierInt(src.get('MAXPERIP'), 4),
    pidFile: src.get('PIDFILE') || names.defaultPidFile,
    tlsSettings: resolveTlsSettings((k) => src.get(k), names.defaultCertFile),
    logFormat: parseLogFormat(src.get('COURIER_TS_LOG_FORMAT')),
    logLevel: src.get('COURIER_TS_LOG_LEVEL') || 'info',
    spareWorker: courierBool(src.get('COURIER_TS_SPARE_WORKER'), true),
  };
}
