import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file's compiled location (test/dist/support/paths.js). */
export const repoRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const fixturesDir: string = resolve(repoRoot, 'test', 'fixtures');
export const binDir: string = resolve(repoRoot, 'bin');
export const sharedToolsDir: string = resolve(repoRoot, '..', 'shared', 'tools');
