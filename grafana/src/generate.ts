import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildDashboards, dashboardJson } from './dashboard_json.js';

export class DashboardWriteError extends Error {
  constructor(path: string, options: { cause: unknown }) {
    super(`dashboards: write ${path}: ${options.cause instanceof Error ? options.cause.message : String(options.cause)}`, options);
    this.name = 'DashboardWriteError';
  }
}

/** Writes every dashboard into `dir` (created if missing) and returns the paths written. */
export async function writeDashboards(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const { file, dashboard } of buildDashboards()) {
    const path = join(dir, file);
    try {
      await writeFile(path, dashboardJson(dashboard));
    } catch (cause) {
      throw new DashboardWriteError(path, { cause });
    }
    written.push(path);
  }
  return written;
}

/** `node dist/grafana/src/generate.js [dir]`: dir defaults to grafana/dashboards under the working directory. */
async function main(): Promise<void> {
  const dir = resolve(process.argv[2] ?? join('grafana', 'dashboards'));
  for (const path of await writeDashboards(dir)) process.stdout.write(`${path}\n`);
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(resolve(entry)).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
