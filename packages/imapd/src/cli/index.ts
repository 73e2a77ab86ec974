/**
 * The `imapd` program: `imapd [--config-dir DIR] config|check|start|stop|restart|run|preauth`.
 * `main` returns the exit code instead of exiting (commander's exitOverride), so tests can call it.
 */

import { createRequire } from 'node:module';
import type { EnvLike } from '@courier-ts/config';
import { runCheckCommand, runConfigCommand, type TextOutput } from '@courier-ts/config/cli';
import { Command, CommanderError } from 'commander';
import {
  preauthCommand,
  restartCommand,
  runCommand,
  type ServerCommand,
  type ServerCommandContext,
  startCommand,
  stopCommand,
} from './server-commands.js';

const SERVER = 'imapd';
const DEFAULT_CONFIG_DIR = '/etc/courier';

/** Where the program reads its environment and writes its output (process defaults). */
export interface CliIo {
  readonly stdout: TextOutput;
  readonly stderr: TextOutput;
  readonly env: EnvLike;
}

function packageVersion(): string {
  const pkg = createRequire(import.meta.url)('../../package.json') as { version?: string };
  return pkg.version ?? '0.0.0';
}

/** `imapd config | head` must not crash with EPIPE when the reader goes away. */
function ignoreClosedPipes(io: CliIo): void {
  for (const stream of [io.stdout, io.stderr]) {
    if (stream === process.stdout || stream === process.stderr) {
      (stream as NodeJS.WriteStream).on('error', (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE') throw err;
      });
    }
  }
}

export async function main(
  args: string[],
  programName: string,
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  ignoreClosedPipes(io);
  let exitCode = 0;
  const program = new Command(programName)
    .description('IMAP server, a drop-in for the imapd of Courier-IMAP (courier-ts)')
    .version(`${programName} (courier-ts) ${packageVersion()}`, '--version', 'print the version and exit')
    .helpOption('-h, --help', 'print this help and exit')
    .option('--config-dir <dir>', 'directory with the Courier configuration files', DEFAULT_CONFIG_DIR)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  const base = (cmd: Command) =>
    ({
      server: SERVER,
      programName,
      configDir: String(cmd.optsWithGlobals().configDir ?? DEFAULT_CONFIG_DIR),
      configDirGiven: program.getOptionValueSource('configDir') === 'cli',
      env: io.env,
      stdout: io.stdout,
      stderr: io.stderr,
    }) as const;

  program
    .command('config')
    .description('print every setting in force, its value and where it came from')
    .option('--changed', 'only settings that differ from the defaults')
    .option('--json', 'machine-readable output')
    .action(async (opts: { changed?: boolean; json?: boolean }, cmd: Command) => {
      exitCode = await runConfigCommand({
        ...base(cmd),
        changed: opts.changed ?? false,
        json: opts.json ?? false,
      });
    });
  program
    .command('check')
    .description('check the configuration files; exit 1 on errors')
    .action(async (_opts: unknown, cmd: Command) => {
      exitCode = await runCheckCommand(base(cmd));
    });

  const control = (name: string, description: string, fn: ServerCommand): void => {
    program
      .command(name)
      .description(description)
      .action(async (_opts: unknown, cmd: Command) => {
        exitCode = await fn(base(cmd) satisfies ServerCommandContext);
      });
  };
  control('start', 'start the server in the background (writes PIDFILE)', startCommand);
  control('stop', 'stop the server started with start', stopCommand);
  control('restart', 'stop, then start the server', restartCommand);
  control('run', 'run the server in the foreground', runCommand);
  program
    .command('preauth')
    .argument('[maildir]', 'maildir to serve (default: MAILDIRPATH)')
    .description('serve one pre-authenticated session on stdin/stdout')
    .action(async (maildir: string | undefined, _opts: unknown, cmd: Command) => {
      exitCode = await preauthCommand({ ...base(cmd), ...(maildir ? { maildir } : {}) });
    });

  if (args.length === 0) {
    program.outputHelp({ error: true });
    return 1;
  }
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
  return exitCode;
}
