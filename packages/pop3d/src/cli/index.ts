/**
 * The `pop3d` program: `pop3d [--config-dir DIR] config|check|start|stop|restart|run|preauth`
 * (the commander program shared with the other server lives in @courier-ts/runtime).
 */
import { createRequire } from 'node:module';
import { type CliIo, runServerProgram } from '@courier-ts/runtime';
import { preauthCommand, restartCommand, runCommand, startCommand, stopCommand } from './server-commands.js';

function packageVersion(): string {
  const pkg = createRequire(import.meta.url)('../../package.json') as { version?: string };
  return pkg.version ?? '0.0.0';
}

export function main(args: string[], programName: string, io?: CliIo): Promise<number> {
  return runServerProgram(
    {
      server: 'pop3d',
      description: 'POP3 server, a drop-in for the pop3d of Courier (courier-ts)',
      version: packageVersion(),
      commands: {
        start: startCommand,
        stop: stopCommand,
        restart: restartCommand,
        run: runCommand,
        preauth: preauthCommand,
      },
    },
    args,
    programName,
    io,
  );
}
