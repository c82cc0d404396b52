/** Running the built CLI from the end-to-end tests: exit code, stdout and stderr, never a throw. */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

export const CLI = new URL('../../src/cli/main.js', import.meta.url).pathname;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const run = promisify(execFile);

/** `nadir …args` to completion. */
export async function nadir(...args: string[]): Promise<CliResult> {
  try {
    const r = await run(process.execPath, [CLI, ...args], { maxBuffer: 256 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as CliResult;
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

/** `nadir …args` with `input` on its stdin. */
export function nadirStdin(input: string | Buffer, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args]);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    p.stdin.end(input);
  });
}
