/** Checks one value against its key's type. Returns an error message, or undefined when the value is fine. */

import { isIP } from 'node:net';
import type { ValueType } from './types.js';

const INTEGER = /^-?[0-9]+$/;
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

function checkPort(text: string): string | undefined {
  if (!/^[0-9]+$/.test(text)) return `'${text}' is not a port number`;
  const n = Number(text);
  return n > 65535 ? `port ${n} is out of range (0-65535)` : undefined;
}

/** One item of a couriertcpd port list: `143` or `ip.143` (the last `.` separates the port). */
function checkPortItem(item: string): string | undefined {
  if (item === '') return 'empty item in the port list';
  const dot = item.lastIndexOf('.');
  if (dot < 0) return checkPort(item);
  const ip = item.slice(0, dot);
  if (ip !== '0' && isIP(ip) === 0) return `'${ip}' in '${item}' is not an IP address (expected ip.port)`;
  return checkPort(item.slice(dot + 1));
}

export function validateValue(type: ValueType, value: string): string | undefined {
  switch (type.kind) {
    case 'string':
      return undefined;
    case 'integer': {
      if (value === '' && type.allowEmpty) return undefined;
      if (!INTEGER.test(value)) return `'${value}' is not an integer`;
      const n = Number(value);
      if (type.min !== undefined && n < type.min) return `${n} is below the minimum ${type.min}`;
      if (type.max !== undefined && n > type.max) return `${n} is above the maximum ${type.max}`;
      return undefined;
    }
    case 'yesno':
      return /^(yes|no|y|n|true|false|1|0)$/i.test(value) ? undefined : `'${value}' is not YES or NO`;
    case 'flag':
      return /^[01]$/.test(value) ? undefined : `'${value}' is not 0 or 1`;
    case 'ports':
      for (const item of value.split(',')) {
        const e = checkPortItem(item.trim());
        if (e) return e;
      }
      return undefined;
    case 'address':
      if (value === '0' || isIP(value) !== 0 || HOSTNAME.test(value)) return undefined;
      return `'${value}' is not an IP address, a host name or 0 (all addresses)`;
    case 'path':
      if (value === '') return type.allowEmpty ? undefined : 'empty path';
      return undefined;
    case 'file':
      return value === '' ? undefined : value.includes('\0') ? 'invalid file name' : undefined;
    case 'words': {
      if (!type.allowed) return undefined;
      const bad = value.split(/\s+/).filter((w) => w !== '' && !type.allowed!.includes(w));
      return bad.length === 0
        ? undefined
        : `unknown ${bad.length === 1 ? 'value' : 'values'} ${bad.map((b) => `'${b}'`).join(', ')} (expected ${type.allowed.join(', ')})`;
    }
    case 'enum': {
      const ok = type.caseInsensitive
        ? type.values.some((v) => v.toLowerCase() === value.toLowerCase())
        : type.values.includes(value);
      return ok ? undefined : `'${value}' is not one of ${type.values.join(', ')}`;
    }
    case 'umask':
      return /^0?[0-7]{1,3}$/.test(value) ? undefined : `'${value}' is not an octal umask such as 022`;
    case 'pattern':
      return type.re.test(value) ? undefined : `'${value}' is not ${type.expected}`;
  }
}
