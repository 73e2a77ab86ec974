// Measures taken in rounds over all the servers (IMAP body download, POP3 STAT and RETR-all): the
// order reversed each round (loop.ts alternating: whichever server goes first pays for the bench
// client's warm-up), each server's median round reported (results.ts medianRound).
import { alternating } from './loop.js';
import type { Area, ServerName } from './options.js';
import { failedSample, type MeasureDef, medianRound, type Results, type Sample } from './results.js';
import type { BenchServer } from './servers/server.js';

/** One line measured in every round: its definition, and where its rounds go in the detail. */
export interface RoundPass {
  readonly def: MeasureDef;
  /** e.g. roundsMBs. */
  readonly roundsKey: string;
}

export interface RoundsSpec {
  readonly area: Area;
  /** For the progress lines, e.g. `IMAP`. */
  readonly protocol: string;
  /** What is measured, for the note and the progress lines, e.g. `body download`. */
  readonly what: string;
  readonly rounds: number;
  readonly passes: readonly RoundPass[];
}

/**
 * `round(s)` measures every pass once on server `s`: a sample per pass, in `passes` order (if it
 * throws, every pass of that round failed). Done `spec.rounds` times over `servers`; each server's
 * median round of each pass goes into `results`.
 */
export async function measureInRounds(
  spec: RoundsSpec,
  servers: readonly BenchServer[],
  results: Results,
  say: (text: string) => void,
  round: (s: BenchServer) => Promise<readonly Sample[]>,
): Promise<void> {
  results.note(
    spec.area,
    `${spec.what}: ${spec.rounds} rounds over the servers, the order reversed each round; each server's median round`,
  );
  const samples = new Map<ServerName, Sample[][]>(servers.map((s) => [s.name, spec.passes.map(() => [])]));
  for (const [n, s] of alternating(servers, spec.rounds)) {
    say(`${spec.protocol} ${s.name}: ${spec.what}, round ${n + 1}`);
    let got: readonly Sample[];
    try {
      got = await round(s);
    } catch (err) {
      got = spec.passes.map(() => failedSample(err));
    }
    for (const [k, list] of samples.get(s.name)!.entries())
      list.push(got[k] ?? { value: null, note: 'not measured' });
  }
  for (const s of servers) {
    for (const [k, p] of spec.passes.entries())
      results.set(
        spec.area,
        p.def.key,
        s.name,
        medianRound(samples.get(s.name)![k]!, p.def.better, p.roundsKey),
      );
  }
}
