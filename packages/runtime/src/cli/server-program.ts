/**
 * The commander program both servers share: `<server> [--config-dir DIR] config|check|start|stop|restart|run|preauth`.
 * Each server supplies its own actions; the program returns the exit code instead of exiting (commander's
 * exitOverride), so tests can call it.
 */
import type { EnvLike } from '@courier-ts/config';
import { runCheckCommand, runConfigCommand, type TextOutput } from '@courier-ts/config/cli';
import { Command, CommanderError } from 'commander';

const DEFAULT_CONFIG_DIR = '/etc/courier';

/** Where the program reads its environment and writes its output (process defaults). */
export interface CliIo {
  readonly stdout: TextOutput;
  readonly stderr: TextOutput;
  readonly env: EnvLike;
}

/** What every server action receives. */
export interface ServerCommandContext {
  readonly programName: string;
  /** --config-dir (default /etc/courier). */
  readonly configDir: string;
  /** True when --config-dir was given on the command line (preauth then reads the files too). */
  readonly configDirGiven: boolean;
  readonly env: EnvLike;
  readonly stdout: TextOutput;
  readonly stderr: TextOutput;
  /** preauth only: the maildir argument. */
  readonly maildir?: string;
}

export type ServerCommand = (ctx: ServerCommandContext) => Promise<number>;

export interface ServerProgramSpec {
  readonly server: 'imapd' | 'pop3d';
  readonly description: string;
  readonly version: string;
  readonly commands: {
    readonly start: ServerCommand;
    readonly stop: ServerCommand;
    readonly restart: ServerCommand;
    readonly run: ServerCommand;
    readonly preauth: ServerCommand;
  };
}

/** `<program> config | head` must not crash with EPIPE when the reader goes away. */
function ignoreClosedPipes(io: CliIo): void {
  for (const stream of [io.stdout, io.stderr]) {
    if (stream === process.stdout || stream === process.stderr) {
      (stream as NodeJS.WriteStream).on('error', (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE') throw err;
      });
    }
  }
}

export async function runServerProgram(
  spec: ServerProgramSpec,
  args: string[],
  programName: string,
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  ignoreClosedPipes(io);
  let exitCode = 0;
  const program = new Command(programName)
    .description(spec.description)
    .version(`${programName} (courier-ts) ${spec.version}`, '--version', 'print the version and exit')
    .helpOption('-h, --help', 'print this help and exit')
    .option('--config-dir <dir>', 'directory with the Courier configuration files', DEFAULT_CONFIG_DIR)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  const base = (cmd: Command) =>
    ({
      server: spec.server,
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
        exitCode = await fn(base(cmd));
      });
  };
  control('start', 'start the server in the background (writes PIDFILE)', spec.commands.start);
  control('stop', 'stop the server started with start', spec.commands.stop);
  control('restart', 'stop, then start the server', spec.commands.restart);
  control('run', 'run the server in the foreground', spec.commands.run);
  program
    .command('preauth')
    .argument('[maildir]', 'maildir to serve (default: MAILDIRPATH)')
    .description('serve one pre-authenticated session on stdin/stdout')
    .action(async (maildir: string | undefined, _opts: unknown, cmd: Command) => {
      exitCode = await spec.commands.preauth({ ...base(cmd), ...(maildir ? { maildir } : {}) });
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
