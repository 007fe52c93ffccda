import { readFileSync } from 'node:fs';
import os from 'node:os';

/** What the numbers were measured on: they mean little without it. */
export interface MachineInfo {
  cpuModel: string;
  /** Cores this process may use (`nproc`). */
  cores: number;
  memoryBytes: number;
  node: string;
  platform: string;
  /** 1-minute load average when the run started and ended: other work on the machine skews every row. */
  loadAverageStart: number;
  loadAverageEnd?: number;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line !== undefined) return line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // Not Linux: os.cpus() below still names the CPU.
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

export function machineInfo(): MachineInfo {
  return {
    cpuModel: cpuModel(),
    cores: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageStart: os.loadavg()[0] ?? 0,
  };
}
