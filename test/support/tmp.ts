// Temporary directories for tests: under the OS temp dir, mode 755 so that a mail user other than the
// test process (root in CI) can traverse them, removed by `dispose()`.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  readonly path: string;
  dispose(): Promise<void>;
}

export async function makeTempDir(prefix = 'courier-ts-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  await chmod(path, 0o755);
  return {
    path,
    dispose: () => rm(path, { recursive: true, force: true, maxRetries: 3 }),
  };
}
