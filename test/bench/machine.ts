// What the numbers were measured on: CPU count, load at the start, memory, kernel, Node.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, freemem, loadavg, release, totalmem } from 'node:os';

export interface MachineInfo {
  readonly nproc: number;
  readonly cpuModel: string;
  readonly loadavgAtStart: readonly number[];
  readonly memTotalMb: number;
  readonly memFreeMb: number;
  readonly kernel: string;
  readonly node: string;
  readonly os: string;
  readonly user: string;
  readonly startedAt: string;
}

export function machineInfo(): MachineInfo {
  let os = 'unknown';
  try {
    os = /^PRETTY_NAME="?([^"\n]*)/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os;
  } catch {
    // not Linux
  }
  return {
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadavgAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
    memTotalMb: Math.round(totalmem() / 2 ** 20),
    memFreeMb: Math.round(freemem() / 2 ** 20),
    kernel: release(),
    node: process.version,
    os,
    user: process.getuid?.() === 0 ? 'root' : String(process.getuid?.() ?? '?'),
    startedAt: new Date().toISOString(),
  };
}

export function machineLine(m: MachineInfo): string {
  return (
    `machine: ${m.nproc} CPUs (${m.cpuModel}), load average at start ${m.loadavgAtStart.join(' ')}, ` +
    `${m.memTotalMb} MB RAM (${m.memFreeMb} free), ${m.os}, Linux ${m.kernel}, Node ${m.node}, as ${m.user}`
  );
}
