import { execFile } from 'node:child_process';

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for assertions that do not care which one a tool used. */
  output: string;
}

/** Runs a command-line tool to completion; a non-zero exit is a result, not an exception. */
export function runTool(bin: string, args: string[], cwd?: string): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { cwd, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') {
        reject(new Error(`${bin} ${args.join(' ')}: ${error.message}`, { cause: error }));
        return;
      }
      const code = error === null ? 0 : (error.code as number);
      resolve({ code, stdout, stderr, output: `${stdout}${stderr}` });
    });
  });
}
