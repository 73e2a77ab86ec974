// CLI entry points of @courier-ts/maildir (called by bin/ shims).
import { runMaildirmake } from './maildirmake.js';

export async function maildirmakeMain(args: string[], programName: string): Promise<number> {
  void programName;
  return runMaildirmake(args, {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  });
}
