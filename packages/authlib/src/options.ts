import type { AccountOptions } from './types.js';

interface OptionEntry {
  readonly key: string;
  readonly value: string;
}

function splitOptions(raw: string): OptionEntry[] {
  const out: OptionEntry[] = [];
  for (const part of raw.split(',')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    out.push(eq < 0 ? { key: part, value: '' } : { key: part.slice(0, eq), value: part.slice(eq + 1) });
  }
  return out;
}

/** Courier's truth test for an option value: atoi(v) != 0, or it starts with t/T/y/Y. */
export function optionValueIsTrue(value: string | undefined): boolean {
  if (value === undefined) return false;
  const m = /^\s*[+-]?\d+/.exec(value);
  if (m && Number.parseInt(m[0], 10) !== 0) return true;
  return /^[tTyY]/.test(value);
}

/**
 * Courier's OPTIONS merge: the account options, then `,opt` for each DEFAULTOPTIONS entry whose key is
 * absent; no account options → DEFAULTOPTIONS; both empty → ''.
 */
export function mergeOptions(account: string | undefined, defaults: string | undefined): string {
  const acc = account ?? '';
  const def = defaults ?? '';
  if (acc === '') return def;
  if (def === '') return acc;
  const keys = new Set(splitOptions(acc).map((e) => e.key));
  let merged = acc;
  for (const part of def.split(',')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    if (!keys.has(key)) merged += `,${part}`;
  }
  return merged;
}

/** Parse an option string once into a typed, read-only view. */
export function parseAccountOptions(raw: string): AccountOptions {
  const entries = splitOptions(raw);
  const get = (key: string): string | undefined => entries.find((e) => e.key === key)?.value;
  const getAll = (key: string): string[] => entries.filter((e) => e.key === key).map((e) => e.value);
  const flag = (key: string): boolean => optionValueIsTrue(get(key));
  const mailhost = get('mailhost');
  return Object.freeze({
    raw,
    get,
    getAll,
    flag,
    disableImap: flag('disableimap'),
    disablePop3: flag('disablepop3'),
    disableInsecureImap: flag('disableinsecureimap'),
    disableInsecurePop3: flag('disableinsecurepop3'),
    disableWebmail: flag('disablewebmail'),
    disableShared: flag('disableshared'),
    groups: Object.freeze(getAll('group')),
    sharedGroup: get('sharedgroup'),
    mailhosts: Object.freeze(mailhost ? mailhost.split(/[,\s]+/).filter((h) => h !== '') : []),
  });
}
