import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The receiver's image, read instruction by instruction. No Docker engine runs here, so what can
 * be checked is the recipe: stages, base images, what each stage installs, who runs the process.
 */
const ROOT = new URL('../../../', import.meta.url).pathname;

interface Instruction {
  keyword: string;
  args: string;
}

function instructions(text: string): Instruction[] {
  const joined = text.replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const space = line.indexOf(' ');
      return { keyword: line.slice(0, space).toUpperCase(), args: line.slice(space + 1).trim() };
    });
}

/** The instructions of each stage, by stage name. */
function stages(list: Instruction[]): Map<string, Instruction[]> {
  const byStage = new Map<string, Instruction[]>();
  let current: Instruction[] = [];
  for (const instruction of list) {
    if (instruction.keyword === 'FROM') {
      current = [instruction];
      byStage.set(/\bAS\s+(\S+)/i.exec(instruction.args)?.[1] ?? `stage${byStage.size}`, current);
    } else {
      current.push(instruction);
    }
  }
  return byStage;
}

describe('Dockerfile', () => {
  const list = instructions(readFileSync(`${ROOT}Dockerfile`, 'utf8'));
  const byStage = stages(list);
  const runtime = [...byStage.values()].at(-1) ?? [];

  it('builds on a pinned Node LTS Debian slim image in every stage', () => {
    const bases = list.filter((i) => i.keyword === 'FROM').map((i) => i.args.split(/\s+/)[0]);
    expect(bases.length).toBeGreaterThanOrEqual(2);
    for (const base of bases) expect(base).toMatch(/^node:(20|22)-bookworm-slim$/);
  });

  it('compiles with the lockfile in a build stage', () => {
    const build = byStage.get('build') ?? [];
    const runs = build.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(runs.some((r) => /^npm ci\b/.test(r) && !r.includes('--omit=dev'))).toBe(true);
    expect(runs).toContain('npm run build');
  });

  it('ships production dependencies only and the compiled output', () => {
    const all = [...byStage.values()].flat();
    expect(all.some((i) => i.keyword === 'RUN' && /npm ci\b.*--omit=dev/.test(i.args))).toBe(true);
    const copies = runtime.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies).toContain('--from=build /app/dist ./dist');
    expect(copies.some((c) => c.startsWith('--from=build /app/node_modules'))).toBe(false);
  });

  it('runs the receiver CLI as the unprivileged node user', () => {
    const users = runtime.filter((i) => i.keyword === 'USER').map((i) => i.args);
    expect(users).toEqual(['node']);
    const entrypoint = runtime.find((i) => i.keyword === 'ENTRYPOINT');
    expect(JSON.parse(entrypoint?.args ?? 'null')).toEqual(['node', 'dist/receiver/src/cli/main.js']);
  });

  it('leaves local state and secrets out of the build context', () => {
    const ignored = readFileSync(`${ROOT}.dockerignore`, 'utf8').split('\n').map((l) => l.trim());
    for (const entry of ['.env', 'node_modules', 'dist', 'data', '.git']) expect(ignored).toContain(entry);
  });
});
