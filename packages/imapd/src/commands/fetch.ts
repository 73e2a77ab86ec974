/** FETCH and UID FETCH. */
import { type ImapCommand, ok } from '../session/command.js';
import { SELECTED } from '../session/state.js';
import { FetchOutput } from './fetch/output.js';
import { type FetchInput, parseFetch } from './fetch/parse.js';
import { runFetch } from './fetch/run.js';
import { createStructureProvider, type StructureProvider } from './fetch/structure.js';

/** `structure` defaults to one provider (and cache) per registry, i.e. per process. */
export function fetchCommand(structure: StructureProvider = createStructureProvider()) {
  return {
    name: 'FETCH',
    uid: 'allowed',
    states: SELECTED,
    flags: { usesSequence: true },
    parse: parseFetch,
    async run(ctx, input) {
      await runFetch(ctx, input, new FetchOutput(ctx), structure);
      return ok('FETCH completed.');
    },
  } satisfies ImapCommand<FetchInput>;
}
