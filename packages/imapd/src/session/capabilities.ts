/**
 * The CAPABILITY list, built as Courier builds it (courier-behaviour.md §4.1):
 * `$IMAP_CAPABILITY` (or `_TLS`) + ` ACL ACL2=UNION` + ` STARTTLS` + ` LOGINDISABLED` (or, without STARTTLS,
 * ` AUTH=EXTERNAL` when TLS gave a login id) + ` ENABLE UTF8=ACCEPT`,
 * except that a name we do not implement is never advertised, and our extensions follow.
 */
import type { CommandRegistry } from './command.js';

/** Implemented by the engine itself, whatever commands are registered. */
const CORE = ['IMAP4rev1', 'UIDPLUS', 'CHILDREN', 'NAMESPACE', 'IDLE', 'ENABLE', 'UTF8=ACCEPT', 'LITERAL+'];
/** Beyond Courier: appended when implemented (clients want them). */
const EXTRAS = ['MOVE', 'UNSELECT', 'ID', 'LITERAL+'];
/** SASL mechanisms authlib serves. */
const SASL = new Set(['PLAIN', 'LOGIN', 'CRAM-MD5', 'CRAM-SHA1', 'CRAM-SHA256']);

export interface CapabilityState {
  readonly tls: boolean;
  readonly starttls: boolean;
  readonly loginDisabled: boolean;
  readonly authenticated: boolean;
  /** Under TLS, the verified client certificate has the TLS_EXTERNAL field (SASL EXTERNAL works). */
  readonly external?: boolean;
}

export interface CapabilitySettings {
  readonly capability: string;
  readonly capabilityTls: string;
  readonly acl: boolean;
}

/** Capability names the registered commands implement. */
export function implementedCapabilities(registry: CommandRegistry): ReadonlySet<string> {
  const out = new Set(CORE.map((c) => c.toUpperCase()));
  for (const c of registry.values()) for (const cap of c.capabilities ?? []) out.add(cap.toUpperCase());
  return out;
}

export function capabilityList(
  s: CapabilitySettings,
  implemented: ReadonlySet<string>,
  st: CapabilityState,
): string[] {
  const base = (st.tls ? s.capabilityTls : s.capability).split(/\s+/).filter((c) => c !== '');
  const out: string[] = [];
  const add = (c: string): void => {
    if (!out.some((x) => x.toUpperCase() === c.toUpperCase())) out.push(c);
  };
  for (const c of base) {
    const u = c.toUpperCase();
    if (u.startsWith('AUTH=')) {
      if (SASL.has(u.slice(5))) add(c);
    } else if (implemented.has(u)) add(c);
  }
  if (s.acl && implemented.has('ACL')) {
    add('ACL');
    add('ACL2=UNION');
  }
  const starttls = st.starttls && !st.authenticated;
  if (starttls) add('STARTTLS');
  if (st.loginDisabled) add('LOGINDISABLED');
  // imapcapability(): `if (have_starttls()) ... else if (imap_externalauth()) AUTH=EXTERNAL`
  if (!starttls && st.external && st.tls) add('AUTH=EXTERNAL');
  add('ENABLE');
  add('UTF8=ACCEPT');
  for (const e of EXTRAS) if (implemented.has(e)) add(e);
  if (!st.authenticated && implemented.has('SASL-IR')) add('SASL-IR');
  return out;
}
