import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file's compiled location (test/dist/support/paths.js). */
export const repoRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const fixturesDir: string = resolve(repoRoot, 'test', 'fixtures');
export const binDir: string = resolve(repoRoot, 'bin');
/**
 * The shared tools (courier-reference, dovecot-private, mkmaildir.py): `../shared/tools` next to the clone,
 * or `$COURIER_TS_SHARED_TOOLS` when set.
 */
export const sharedToolsDir: string =
  process.env.COURIER_TS_SHARED_TOOLS ?? resolve(repoRoot, '..', 'shared', 'tools');
/** Maildir trees that compat scenarios and integration tests start from. */
export const maildirFixturesDir: string = resolve(fixturesDir, 'maildirs');
/** Compat scenario sources and their recorded (normalised) Courier transcripts. */
export const compatDir: string = resolve(repoRoot, 'test', 'compat');
export const scenariosDir: string = resolve(compatDir, 'scenarios');
export const expectedDir: string = resolve(compatDir, 'expected');
/** Scratch space for tests that want it inside the repo (gitignored); most use the OS temp dir. */
export const testTmpDir: string = resolve(repoRoot, 'test', '.tmp');

/** Path of a program in bin/ (imapd, pop3d, authtest, maildirmake, ...). */
export function binPath(name: string): string {
  return resolve(binDir, name);
}

/** The courier-reference script, or undefined when the shared tools are not next to this clone. */
export function courierReferencePath(): string | undefined {
  const p = resolve(sharedToolsDir, 'courier-reference');
  return existsSync(p) ? p : undefined;
}
