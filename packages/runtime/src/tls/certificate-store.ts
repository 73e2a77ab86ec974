import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createSecureContext, type SecureContext } from 'node:tls';
import { RuntimeError } from '../errors.js';
import { TlsSessionCache } from './session-cache.js';
import type { TlsSettings, VerifyPeer } from './tls-settings.js';

/** How long a TLS session (ticket or cached ID) may be resumed, in seconds (OpenSSL's default). */
const SESSION_TIMEOUT_S = 300;

interface CachedContext {
  readonly mtimeMs: number;
  readonly size: number;
  readonly context: SecureContext;
}

export interface ContextRequest {
  /** SNI server name sent by the client. */
  readonly servername?: string;
  /** Local address the client connected to (per-IP certificate `TLS_CERTFILE.<ip>`). */
  readonly localIp?: string;
}

/** TLS_TRUSTCERTS: a PEM bundle, or a directory whose *.pem / *.crt files are read (OpenSSL's CApath). */
async function readTrustCerts(path: string): Promise<Buffer[]> {
  const s = await stat(path).catch(() => undefined);
  if (!s) throw new RuntimeError('BAD_CERTIFICATE', `TLS_TRUSTCERTS ${path}: not found`);
  if (s.isFile()) return [await readFile(path)];
  const names = (await readdir(path)).filter((n) => /\.(pem|crt)$/i.test(n)).sort();
  const out: Buffer[] = [];
  for (const n of names) {
    const b = await readFile(join(path, n)).catch(() => undefined);
    if (b?.includes('-----BEGIN CERTIFICATE-----')) out.push(b);
  }
  return out;
}

/** Sessions made under one certificate file or TLS_VERIFYPEER are not resumed under another. */
function sessionIdContextOf(settings: TlsSettings): string {
  return createHash('sha256')
    .update(`courier-ts\0${settings.certFile}\0${settings.verifyPeer ?? 'NONE'}`)
    .digest('hex')
    .slice(0, 32);
}

async function statOrUndefined(path: string): Promise<{ mtimeMs: number; size: number } | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? { mtimeMs: s.mtimeMs, size: s.size } : undefined;
  } catch {
    return undefined;
  }
}

/** Only plain host names and addresses become file suffixes (no `/`, no `..`). */
function safeSuffix(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const lower = s.toLowerCase();
  return /^[a-z0-9:._-]+$/.test(lower) && !lower.includes('..') ? lower : undefined;
}

/**
 * Secure contexts built from Courier's certificate files. For a connection the file is chosen as
 * couriertls does: `TLS_CERTFILE.<servername>` (SNI), else `TLS_CERTFILE.<local ip>`, else
 * `TLS_CERTFILE`. A file is re-read when its mtime or size changes, so a renewed certificate
 * is used by the next handshake without a restart.
 */
export class CertificateStore {
  private settings: TlsSettings;
  private readonly cache = new Map<string, CachedContext>();
  private dhparam: Buffer | undefined;
  private dhLoaded = false;
  private trust: Buffer[] | undefined;
  /** Session ticket keys shared by every context of this store, kept across reloads. */
  private readonly ticketKeys = randomBytes(48);
  private sessionIdContext: string;
  /** Session-ID cache (TLS_CACHESIZE bytes, in memory, this process only). */
  readonly sessions: TlsSessionCache;

  constructor(settings: TlsSettings) {
    this.settings = settings;
    this.sessions = new TlsSessionCache({
      maxBytes: settings.sessionCacheBytes ?? 524_288,
      ttlMs: SESSION_TIMEOUT_S * 1000,
    });
    this.sessionIdContext = sessionIdContextOf(settings);
  }

  get handshakeTimeoutMs(): number {
    return this.settings.handshakeTimeoutMs ?? 60_000;
  }

  /** TLS_VERIFYPEER in force. */
  get verifyPeer(): VerifyPeer {
    return this.settings.verifyPeer ?? 'NONE';
  }

  /** TLS_EXTERNAL: the subject field that names the login id, if set. */
  get externalField(): string | undefined {
    return this.settings.externalField;
  }

  /**
   * SIGHUP: forget every cached context and the trusted CAs; with `next`, use those TLS_* settings from
   * the next handshake on. Tickets and cached sessions stay valid unless the certificate file or
   * TLS_VERIFYPEER changed.
   */
  reload(next?: TlsSettings): void {
    if (next) {
      this.settings = next;
      this.sessionIdContext = sessionIdContextOf(next);
      this.sessions.resize(next.sessionCacheBytes ?? 524_288);
    }
    this.cache.clear();
    this.dhLoaded = false;
    this.trust = undefined;
  }

  /** The certificate file used for a request. */
  async pathFor(req: ContextRequest): Promise<string> {
    const base = this.settings.certFile;
    for (const suffix of [safeSuffix(req.servername), safeSuffix(req.localIp)]) {
      if (suffix === undefined) continue;
      const p = `${base}.${suffix}`;
      if (await statOrUndefined(p)) return p;
    }
    return base;
  }

  async contextFor(req: ContextRequest = {}): Promise<SecureContext> {
    return this.contextForFile(await this.pathFor(req));
  }

  /** Check that the default certificate loads (startup / config check). */
  async verify(): Promise<void> {
    await this.contextFor({});
  }

  private async contextForFile(path: string): Promise<SecureContext> {
    const st = await statOrUndefined(path);
    if (!st) throw new RuntimeError('BAD_CERTIFICATE', `${path}: certificate file not found`);
    const hit = this.cache.get(path);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.context;
    const pem = await readFile(path);
    const key = this.settings.keyFile ? await readFile(this.settings.keyFile) : pem;
    const dhparam = await this.loadDhParams();
    const ca = await this.loadTrust();
    const ciphers = [this.settings.cipherSuites, this.settings.ciphers].filter(Boolean).join(':');
    let context: SecureContext;
    try {
      context = createSecureContext({
        key,
        cert: pem,
        ...(ciphers ? { ciphers } : {}),
        ...(this.settings.honorCipherOrder ? { honorCipherOrder: true } : {}),
        ...(this.settings.minVersion ? { minVersion: this.settings.minVersion } : {}),
        ...(this.settings.maxVersion ? { maxVersion: this.settings.maxVersion } : {}),
        ...(dhparam ? { dhparam } : {}),
        ...(ca ? { ca } : {}),
        ticketKeys: this.ticketKeys,
        sessionIdContext: this.sessionIdContext,
        sessionTimeout: SESSION_TIMEOUT_S,
      });
    } catch (err) {
      throw new RuntimeError('BAD_CERTIFICATE', `${path}: ${(err as Error).message}`, { cause: err });
    }
    this.cache.set(path, { mtimeMs: st.mtimeMs, size: st.size, context });
    return context;
  }

  /** The CAs client certificates are checked against (only with TLS_VERIFYPEER=PEER/REQUIREPEER). */
  private async loadTrust(): Promise<Buffer[] | undefined> {
    if (this.verifyPeer === 'NONE') return undefined;
    // No TLS_TRUSTCERTS: trust nothing (not Node's bundled roots).
    if (!this.settings.trustCerts) return [];
    this.trust ??= await readTrustCerts(this.settings.trustCerts);
    return this.trust;
  }

  private async loadDhParams(): Promise<Buffer | undefined> {
    if (this.dhLoaded) return this.dhparam;
    this.dhLoaded = true;
    this.dhparam = undefined;
    if (this.settings.dhParamsFile && (await statOrUndefined(this.settings.dhParamsFile))) {
      this.dhparam = await readFile(this.settings.dhParamsFile);
    }
    return this.dhparam;
  }
}
