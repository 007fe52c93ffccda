import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CheckpointError } from './checkpoint_error.js';

/**
 * Replaces `path` with `data` so that a crash at any moment leaves either the old or the new
 * content, never a mix: write a temp file, fsync it, rename it over `path`, fsync the directory
 * (without the last fsync the rename itself may be lost on power failure).
 */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const tmp = `${path}.tmp`;
  await step(`write ${tmp}`, tmp, async () => {
    const fh = await open(tmp, 'w', 0o644);
    try {
      await fh.writeFile(data, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
  });
  await step(`rename ${tmp}`, tmp, () => rename(tmp, path));
  const dir = dirname(path);
  await step(`fsync ${dir}`, dir, async () => {
    const dh = await open(dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  });
}

async function step(what: string, path: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    throw new CheckpointError(`${what}: ${code}`, path, { cause });
  }
}
