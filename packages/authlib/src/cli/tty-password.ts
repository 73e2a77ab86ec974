/**
 * Read one line from a terminal without echo (raw mode), prompting on stderr; undefined on EOF (^D on an
 * empty line) or ^C.
 */
export function readHiddenLine(prompt: string): Promise<string | undefined> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve) => {
    let line = '';
    const finish = (value: string | undefined): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      resolve(value);
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          finish(line);
          return;
        }
        if (ch === '\u0003' || (ch === '\u0004' && line === '')) {
          finish(undefined);
          return;
        }
        if (ch === '\u0004') continue;
        if (ch === '\u007f' || ch === '\b') line = line.slice(0, -1);
        else line += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** userdbpw on a terminal: "Password: ", "Reenter password: ", again on a mismatch. */
export async function readNewPasswordFromTty(): Promise<string | undefined> {
  for (;;) {
    const first = await readHiddenLine('Password: ');
    if (first === undefined) return undefined;
    const second = await readHiddenLine('Reenter password: ');
    if (second === undefined) return undefined;
    if (first === second) return first;
    process.stderr.write("Passwords don't match.\n\n");
  }
}
