/** Reads one config file; a missing file is a warning, an unreadable one an error. Never throws for I/O. */

import { readFile } from 'node:fs/promises';
import type { ConfigFileStatus, ConfigProblem, FileKind } from '../types.js';

export interface FileRead {
  readonly status: ConfigFileStatus;
  readonly text?: string;
  readonly problem?: ConfigProblem;
}

export async function readConfigFile(path: string, kind: FileKind): Promise<FileRead> {
  try {
    const text = await readFile(path, 'utf8');
    return { status: { path, kind, status: 'read' }, text };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return {
        status: { path, kind, status: 'missing' },
        problem: { severity: 'warning', file: path, message: 'file not found; its keys take their defaults' },
      };
    }
    return {
      status: { path, kind, status: 'unreadable' },
      problem: { severity: 'error', file: path, message: `cannot read the file: ${(err as Error).message}` },
    };
  }
}
