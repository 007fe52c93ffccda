/**
 * The order in which the files of a folder are read: each rotation set oldest first, so that the
 * events of a set reach the alert in time order (reading `access.log` before `access.log.1` made
 * every older line late, and a rotated folder raised none of its alerts).
 *
 * A rotation set is a log and its rotated copies, recognised by name:
 * - logrotate's numbers, compressed or not: `access.log.10.gz` < `access.log.2.gz` < `access.log.1`;
 * - dates (logrotate's `dateext`, SFTPGo): `access.log-20240305` < `access.log-20240306.gz`,
 *   `sftpgo.log.2024-03-06T10-00-00`, and lumberjack's `sftpgo-2024-03-06T10-00-00.000.log`;
 * - the log itself (`access.log`) comes last, once its rotated copies were read.
 * Where a name says nothing about age (`access.log.gz`, mixed schemes), the modification time decides.
 */

/** Where a file sits in its rotation set. */
export type RotationRank =
  | { kind: 'dated'; key: string }
  | { kind: 'numbered'; generation: number }
  | { kind: 'unnamed' }
  | { kind: 'current' };

export interface RotationName {
  /** Path of the log this file was rotated from: the same for every member of a set. */
  base: string;
  rank: RotationRank;
}

/** `-20240306`, `-2024030610`, `.2024-03-06`, `.2024-03-06T10-00-00`, `-2024-03-06_10:00:00.123`. */
const DATED = /^(.+?)[.-]((?:19|20)\d\d-?[01]\d-?[0-3]\d(?:[T_-]?[0-2]\d(?:[-:]?[0-5]\d(?:[-:]?[0-6]\d(?:\.\d+)?)?)?)?)(\.gz)?$/;
/** lumberjack (SFTPGo's rotation): `sftpgo-2024-03-06T10-00-00.000.log` is a copy of `sftpgo.log`. */
const LUMBERJACK = /^(.+)-((?:19|20)\d\d-[01]\d-[0-3]\dT[0-2]\d-[0-5]\d-[0-6]\d(?:\.\d+)?)(\.[A-Za-z]\w*)(\.gz)?$/;
/** logrotate's numbered copies: `access.log.1`, `access.log.2.gz`. */
const NUMBERED = /^(.+)\.(\d{1,5})(\.gz)?$/;

/** Which set `path` belongs to and where in it, from its name alone. */
export function rotationName(path: string): RotationName {
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash + 1);
  const name = path.slice(slash + 1);
  const lumberjack = LUMBERJACK.exec(name);
  if (lumberjack) return { base: dir + lumberjack[1]! + lumberjack[3]!, rank: { kind: 'dated', key: dateKey(lumberjack[2]!) } };
  const dated = DATED.exec(name);
  if (dated) return { base: dir + dated[1]!, rank: { kind: 'dated', key: dateKey(dated[2]!) } };
  const numbered = NUMBERED.exec(name);
  if (numbered) return { base: dir + numbered[1]!, rank: { kind: 'numbered', generation: Number(numbered[2]) } };
  if (name.endsWith('.gz')) return { base: path.slice(0, -3), rank: { kind: 'unnamed' } };
  return { base: path, rank: { kind: 'current' } };
}

/** The digits of a date, right-padded: `2024-03-06` and `20240306000000` sort as the same instant. */
function dateKey(text: string): string {
  return text.replace(/\D/g, '').padEnd(20, '0');
}

export interface RotationFile {
  path: string;
  mtimeMs: number;
}

/**
 * `files` in reading order: sets one after another (the set whose oldest file is oldest first, by
 * modification time, then by name), each set from its oldest copy to the log itself. Pure and stable:
 * the same listing always gives the same order, whatever order it came in.
 */
export function orderOldestFirst<T>(files: readonly T[], describe: (file: T) => RotationFile): T[] {
  const sets = new Map<string, Array<{ file: T; path: string; mtimeMs: number; rank: RotationRank }>>();
  for (const file of files) {
    const { path, mtimeMs } = describe(file);
    const { base, rank } = rotationName(path);
    let members = sets.get(base);
    if (!members) sets.set(base, (members = []));
    members.push({ file, path, mtimeMs, rank });
  }
  const ordered = [...sets.entries()].map(([base, members]) => {
    members.sort((a, b) => compareMembers(a, b));
    return { base, members, oldestMs: Math.min(...members.map((m) => m.mtimeMs)) };
  });
  ordered.sort((a, b) => a.oldestMs - b.oldestMs || compareText(a.base, b.base));
  return ordered.flatMap((set) => set.members.map((m) => m.file));
}

/** Rotated copies by scheme (dated, numbered, then unnamed by age), the log itself last. */
const KIND_ORDER: Record<RotationRank['kind'], number> = { dated: 0, numbered: 1, unnamed: 2, current: 3 };

interface Member {
  path: string;
  mtimeMs: number;
  rank: RotationRank;
}

function compareMembers(a: Member, b: Member): number {
  const kinds = KIND_ORDER[a.rank.kind] - KIND_ORDER[b.rank.kind];
  if (kinds !== 0) return kinds;
  if (a.rank.kind === 'dated' && b.rank.kind === 'dated') {
    const byDate = compareText(a.rank.key, b.rank.key);
    if (byDate !== 0) return byDate;
  }
  // A higher number is an older copy.
  if (a.rank.kind === 'numbered' && b.rank.kind === 'numbered' && a.rank.generation !== b.rank.generation) {
    return b.rank.generation - a.rank.generation;
  }
  return a.mtimeMs - b.mtimeMs || compareText(a.path, b.path);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
