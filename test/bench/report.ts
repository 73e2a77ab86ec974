// The bench report: one table per area with each measure for courier-ts, Dovecot and Courier and the
// normalised ratios (> 1 = courier-ts better), plus notes; and the JSON file in bench-results/.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MachineInfo } from './machine.js';
import { AREAS, type ServerName } from './options.js';
import { type AreaResults, type MeasureDef, type Results, ratio, type Sample } from './results.js';

const COLS: readonly ServerName[] = ['courier-ts', 'dovecot', 'courier'];
const TITLES: Record<string, string> = {
  maildir: 'maildir',
  imap: 'IMAP',
  search: 'IMAP SEARCH, SORT, THREAD',
  pop3: 'POP3',
};

function fmtValue(v: number | null | undefined): string {
  if (v == null || !Number.isFinite(v)) return '-';
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toString();
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

function fmtRatio(r: number | undefined): string {
  return r === undefined ? '-' : `${r.toFixed(2)}x`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r, ri) => {
      const line = r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
      return ri === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

function areaTable(area: string, r: AreaResults): string {
  const rows: string[][] = [
    ['measure', 'unit', 'courier-ts', 'Dovecot', 'Courier', 'ours/Dovecot', 'ours/Courier'],
  ];
  const notes: string[] = [];
  for (const def of r.defs) {
    const v = r.values[def.key] ?? {};
    const cell = (s: ServerName): string => {
      const sample: Sample | undefined = v[s];
      if (sample?.note) notes.push(`${def.label} [${s}]: ${sample.note}`);
      return fmtValue(sample?.value) + (sample?.note ? '*' : '');
    };
    const ours = v['courier-ts']?.value;
    rows.push([
      def.label,
      `${def.unit} ${def.better === 'higher' ? '(+)' : '(-)'}`,
      ...COLS.map(cell),
      fmtRatio(ratio(def, ours, v.dovecot?.value)),
      fmtRatio(ratio(def, ours, v.courier?.value)),
    ]);
  }
  const all = [...r.notes, ...notes];
  return `${TITLES[area] ?? area}\n${table(rows)}${all.length ? `\n${all.map((n) => `  * ${n}`).join('\n')}` : ''}`;
}

export function renderReport(results: Results, header: readonly string[]): string {
  const parts = [...header, ''];
  for (const a of AREAS) {
    const r = results.areas[a];
    if (r) parts.push(areaTable(a, r), '');
  }
  parts.push(
    '(+) higher is better, (-) lower is better; ratios are normalised so that > 1 means courier-ts is better.',
  );
  parts.push(
    '* = see the note below the table. Figures are from a shared machine and are noisy; compare ratios, not absolutes.',
  );
  return parts.join('\n');
}

export interface JsonReport {
  readonly machine: MachineInfo & { readonly loadavgAtEnd?: readonly number[] };
  readonly options: Readonly<Record<string, unknown>>;
  readonly servers: Readonly<Record<string, unknown>>;
  readonly dataset: Readonly<Record<string, unknown>>;
  readonly results: Results['areas'];
  readonly ratios: Record<string, Record<string, { vsDovecot?: number; vsCourier?: number }>>;
  /** With --runs N > 1: each run's own results (`results` holds every line's median run). */
  readonly runs?: readonly Results['areas'][];
  readonly durationSeconds: number;
}

export function ratios(results: Results): JsonReport['ratios'] {
  const out: JsonReport['ratios'] = {};
  for (const [area, r] of Object.entries(results.areas)) {
    out[area] = {};
    for (const def of r.defs as MeasureDef[]) {
      const v = r.values[def.key] ?? {};
      const vsDovecot = ratio(def, v['courier-ts']?.value, v.dovecot?.value);
      const vsCourier = ratio(def, v['courier-ts']?.value, v.courier?.value);
      out[area][def.key] = {
        ...(vsDovecot !== undefined ? { vsDovecot } : {}),
        ...(vsCourier !== undefined ? { vsCourier } : {}),
      };
    }
  }
  return out;
}

/** Write bench-results/bench-<messages>-<timestamp>.json and return its path. */
export async function writeJson(outDir: string, messages: number, report: JsonReport): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const stamp = report.machine.startedAt.replace(/[:.]/g, '-');
  const file = join(outDir, `bench-${messages}-${stamp}.json`);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
