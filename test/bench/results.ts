// The bench's results: per area (maildir, imap, pop3) a list of measures, each with a value per server.
// A measure that could not be taken holds null and a note saying why. Nothing here asserts.
import { AREAS, type Area, type ServerName } from './options.js';

export type Better = 'higher' | 'lower';

export interface MeasureDef {
  readonly key: string;
  readonly label: string;
  readonly unit: string;
  readonly better: Better;
}

export interface Sample {
  readonly value: number | null;
  readonly note?: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** A measure that failed: no value, the error's first line as the note. */
export function failedSample(err: unknown): Sample {
  return { value: null, note: (err as Error).message.split('\n')[0]?.slice(0, 200) ?? 'failed' };
}

/**
 * The median of the samples that have a value (by `better`, the worse of the two middle ones for an
 * even count), undefined when none has. Not the best: a server whose samples vary more would get the
 * better of its luck (in A/B runs Dovecot's pipelined body download went from 290 to 460 MB/s from
 * one round to the next, ours 406-461); the median of an odd count is one real sample.
 */
export function medianSample(samples: readonly Sample[], better: Better): Sample | undefined {
  const good = samples.filter((s) => s.value !== null);
  if (good.length === 0) return undefined;
  // Best first: the middle one of an odd count, the worse middle one of an even count.
  const sorted = [...good].sort((a, b) =>
    better === 'higher' ? (b.value ?? 0) - (a.value ?? 0) : (a.value ?? 0) - (b.value ?? 0),
  );
  return sorted[Math.floor(sorted.length / 2)];
}

/** `mid`'s note, and a word on the samples without a value (failed rounds or runs) if some have none. */
function notes(mid: Sample, samples: readonly Sample[], what: string): { note?: string } {
  const failed = samples.filter((s) => s.value === null).length;
  const parts = [mid.note, failed > 0 ? `${failed} of ${samples.length} ${what} failed` : undefined];
  const note = parts.filter((p) => p !== undefined).join('; ');
  return note ? { note } : {};
}

/**
 * A server's median round of a measure taken in rounds (medianSample), with every round's value in
 * the detail under `roundsKey` (e.g. roundsMBs).
 */
export function medianRound(rounds: readonly Sample[], better: Better, roundsKey: string): Sample {
  const mid = medianSample(rounds, better);
  if (!mid) return rounds[0] ?? { value: null, note: 'not measured' };
  return {
    ...mid,
    ...notes(mid, rounds, 'rounds'),
    detail: { ...mid.detail, [roundsKey]: rounds.map((s) => s.value), rounds: rounds.length },
  };
}

export interface AreaResults {
  readonly defs: MeasureDef[];
  readonly values: Record<string, Partial<Record<ServerName, Sample>>>;
  /** Area-wide notes (why a server is missing, how something was measured). */
  readonly notes: string[];
}

export class Results {
  readonly areas: Partial<Record<Area, AreaResults>> = {};

  private area(a: Area): AreaResults {
    let r = this.areas[a];
    if (!r) {
      r = { defs: [], values: {}, notes: [] };
      this.areas[a] = r;
    }
    return r;
  }

  define(a: Area, def: MeasureDef): void {
    const r = this.area(a);
    if (!r.defs.some((d) => d.key === def.key)) r.defs.push(def);
  }

  set(a: Area, key: string, server: ServerName, sample: Sample): void {
    const r = this.area(a);
    r.values[key] ??= {};
    r.values[key][server] = sample;
  }

  note(a: Area, text: string): void {
    const r = this.area(a);
    if (!r.notes.includes(text)) r.notes.push(text);
  }

  /** Run one measure for one server: its value, or null and the error as the note. Never throws. */
  async measure(
    a: Area,
    def: MeasureDef,
    server: ServerName,
    fn: () => Promise<Sample | number>,
  ): Promise<Sample> {
    this.define(a, def);
    let s: Sample;
    try {
      const v = await fn();
      s = typeof v === 'number' ? { value: v } : v;
    } catch (err) {
      s = failedSample(err);
    }
    this.set(a, def.key, server, s);
    return s;
  }
}

/**
 * ours relative to theirs, normalised so that > 1 means courier-ts is better: ours/theirs for
 * higher-is-better measures, theirs/ours for lower-is-better ones.
 */
export function ratio(
  def: MeasureDef,
  ours: number | null | undefined,
  theirs: number | null | undefined,
): number | undefined {
  if (ours == null || theirs == null || !Number.isFinite(ours) || !Number.isFinite(theirs)) return undefined;
  if (ours <= 0 || theirs <= 0) return undefined;
  return def.better === 'higher' ? ours / theirs : theirs / ours;
}

/**
 * Several whole bench runs as one (`--runs N`): every measure's median run for each server
 * (medianSample), each run's value in the detail under `runValues` (null where a run has none);
 * measures and notes in the order they first appear.
 */
export function mergeRuns(runs: readonly Results[]): Results {
  const merged = new Results();
  for (const a of AREAS) {
    const areaRuns = runs.map((r) => r.areas[a]).filter((x): x is AreaResults => x !== undefined);
    for (const r of areaRuns) {
      for (const d of r.defs) merged.define(a, d);
      for (const n of r.notes) merged.note(a, n);
    }
    for (const def of merged.areas[a]?.defs ?? []) {
      const servers = new Set(
        areaRuns.flatMap((r) => Object.keys(r.values[def.key] ?? {})),
      ) as Set<ServerName>;
      for (const server of servers) {
        const samples = areaRuns.map(
          (r) => r.values[def.key]?.[server] ?? { value: null, note: 'not measured' },
        );
        const mid = medianSample(samples, def.better);
        merged.set(
          a,
          def.key,
          server,
          mid
            ? {
                ...mid,
                ...notes(mid, samples, 'runs'),
                detail: { ...mid.detail, runValues: samples.map((s) => s.value) },
              }
            : samples[0]!,
        );
      }
    }
  }
  return merged;
}
