/**
 * A literal announced in the input, before its bytes arrive: a top-level literal of a command
 * that streams them (APPEND) goes to the command, which takes it (`+ OK`, then the bytes as a
 * stream) or refuses it (its tagged reply, the bytes skipped); any other literal is buffered by
 * the parser, within its limits.
 */
import type { LiteralEvent } from '../protocol/parser-events.js';
import type { AnyImapCommand, CommandContext, LiteralPlan } from './command.js';
import { ERROR_REPLY, errorReply, taggedLine } from './error-reply.js';
import type { ImapIo } from './io.js';
import { LiteralBody } from './literal-body.js';
import type { StateKind } from './state.js';

/** The session as a literal sees it. */
export interface LiteralHost extends CommandContext {
  readonly io: ImapIo;
  tag: string;
  uid: boolean;
  literals: unknown[];
  readonly stateKind: StateKind;
}

/** 'eof': the input ended inside the literal; 'violation': refused by the parser (counts as a bad command). */
export type LiteralResult = 'eof' | 'violation' | undefined;

export async function dispatchLiteral(
  host: LiteralHost,
  c: AnyImapCommand | undefined,
  ev: LiteralEvent,
): Promise<LiteralResult> {
  const { io } = host;
  const parser = io.parser;
  if (c?.literal && ev.depth === 0 && c.states.includes(host.stateKind)) {
    host.tag = ev.tag ?? '*';
    host.uid = ev.uid;
    let plan: LiteralPlan;
    try {
      plan = await c.literal(host, ev);
    } catch (err) {
      plan = { kind: 'reject', outcome: errorReply(err).outcome };
    }
    if (plan.kind === 'reject') {
      parser.rejectLiteral();
      host.literals = [];
      await io.write(taggedLine(ev.tag ?? '*', plan.outcome));
      return undefined;
    }
    parser.acceptLiteral({ stream: true });
    if (ev.synchronizing) await io.write('+ OK\r\n');
    const body = new LiteralBody(io, ev.size);
    try {
      host.literals.push({ ok: true, value: await plan.consume(body) });
    } catch (err) {
      host.literals.push({ ok: false, error: err });
    }
    return (await body.drain()) ? undefined : 'eof';
  }
  const err = parser.acceptLiteral();
  if (err) {
    await io.write(taggedLine(ev.tag ?? '*', ERROR_REPLY));
    return 'violation';
  }
  if (ev.synchronizing) await io.write('+ OK\r\n');
  return undefined;
}
