// The bench's results: per area (maildir, imap, pop3) a list of measures, each with a value per server.
// A measure that could not be taken holds null and a note saying why. Nothing here asserts.
import type { Area, ServerName } from './options.js';

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
 * A server's best round of a measure taken in rounds (by `better`), with every round's value in the
 * detail under `roundsKey` (e.g. roundsMBs).
 */
export function bestRound(rounds: readonly Sample[], better: Better, roundsKey: string): Sample {
  const good = rounds.filter((s) => s.value !== null);
  if (good.length === 0) return rounds[0] ?? { value: null, note: 'not measured' };
  const wins = (a: Sample, b: Sample): boolean =>
    better === 'higher' ? (b.value ?? 0) > (a.value ?? 0) : (b.value ?? 0) < (a.value ?? 0);
  const top = good.reduce((a, b) => (wins(a, b) ? b : a));
  return {
    ...top,
    detail: { ...top.detail, [roundsKey]: rounds.map((s) => s.value), rounds: rounds.length },
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
