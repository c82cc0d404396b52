import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export interface MachineInfo {
  date: string;
  nproc: number;
  cpuModel: string;
  memoryGB: number;
  node: string;
  /** 1-minute load average when the run started: > nproc means other work was competing. */
  loadavg1: number;
  commit: string | null;
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1]!.trim();
  } catch {
    // not Linux: fall through
  }
  return cpus()[0]?.model ?? 'unknown';
}

function commit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function machineInfo(): MachineInfo {
  return {
    date: new Date().toISOString(),
    nproc: availableParallelism(),
    cpuModel: cpuModel(),
    memoryGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadavg1: Number(loadavg()[0]!.toFixed(2)),
    commit: commit(),
  };
}

export function describeMachine(m: MachineInfo): string {
  return `${m.date.slice(0, 16).replace('T', ' ')} UTC · ${m.nproc} cores (${m.cpuModel}) · ${m.memoryGB} GB · Node ${m.node} · load ${m.loadavg1}${m.commit ? ` · commit ${m.commit}` : ''}`;
}
