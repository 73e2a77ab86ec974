import { readFile, stat } from 'node:fs/promises';
import { createSecureContext, type SecureContext } from 'node:tls';
import { RuntimeError } from '../errors.js';
import type { TlsSettings } from './tls-settings.js';

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
  private readonly settings: TlsSettings;
  private readonly cache = new Map<string, CachedContext>();
  private dhparam: Buffer | undefined;
  private dhLoaded = false;

  constructor(settings: TlsSettings) {
    this.settings = settings;
  }

  get handshakeTimeoutMs(): number {
    return this.settings.handshakeTimeoutMs ?? 60_000;
  }

  /** Forget every cached context (SIGHUP). */
  reload(): void {
    this.cache.clear();
    this.dhLoaded = false;
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
    let context: SecureContext;
    try {
      context = createSecureContext({
        key,
        cert: pem,
        ...(this.settings.ciphers ? { ciphers: this.settings.ciphers } : {}),
        ...(this.settings.minVersion ? { minVersion: this.settings.minVersion } : {}),
        ...(this.settings.maxVersion ? { maxVersion: this.settings.maxVersion } : {}),
        ...(dhparam ? { dhparam } : {}),
      });
    } catch (err) {
      throw new RuntimeError('BAD_CERTIFICATE', `${path}: ${(err as Error).message}`, { cause: err });
    }
    this.cache.set(path, { mtimeMs: st.mtimeMs, size: st.size, context });
    return context;
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
