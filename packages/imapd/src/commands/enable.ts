/** ENABLE (RFC 5161): only UTF8=ACCEPT, as Courier. */
import { ArgReader } from '../protocol/arg-reader.js';
import { type ImapCommand, ok } from '../session/command.js';
import { AUTHENTICATED } from '../session/state.js';

export const enableCommand = {
  name: 'ENABLE',
  states: AUTHENTICATED,
  parse(args) {
    const r = new ArgReader(args);
    const caps: string[] = [];
    while (r.remaining > 0) caps.push(r.atom('capability'));
    if (caps.length === 0) throw new ArgReader([]).token('capability');
    return caps;
  },
  async run(ctx, caps) {
    for (const c of caps) ctx.enable(c);
    // Courier lists everything enabled so far.
    await ctx.untagged(['ENABLED', ...ctx.enabled].join(' '));
    return ok('Options enabled');
  },
} satisfies ImapCommand<string[]>;
