import fs from 'node:fs';
import os from 'node:os';

/** Who holds a lock: enough to tell a live holder from a dead one whose pid was reused. */
interface Holder {
  pid: number;
  host: string;
  /** The process's start time in clock ticks since boot (Linux), so a reused pid is not taken for the holder. */
  started: string | null;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly database: string,
    readonly pid: number,
  ) {
    super(`DATA_DIR: the embedded database in ${database} is in use by process ${pid}; stop the server first, or use DATABASE_URL`);
  }
}

export interface DataDirLock {
  release(): void;
}

function startTimeOf(pid: number): string | null {
  try {
    // Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces, so count from its ")".
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function alive(holder: Holder): boolean {
  // On another machine (a shared folder) nothing can be checked: the lock stands.
  if (holder.host !== os.hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  return holder.started === null || startTimeOf(holder.pid) === null || startTimeOf(holder.pid) === holder.started;
}

function readHolder(file: string): Holder | undefined {
  try {
    const holder = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Holder>;
    return typeof holder.pid === 'number' ? { pid: holder.pid, host: String(holder.host), started: holder.started ?? null } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes `<database>.lock` beside the embedded database for this process alone: PGlite
 * has no server to arbitrate, so two processes on one folder corrupt it. The file is
 * created atomically (O_EXCL) and holds the owner's pid; a lock whose owner is gone
 * (kill -9) is taken over. Released by release() or, failing that, at process exit.
 */
export function lockDataDir(database: string): DataDirLock {
  const file = `${database}.lock`;
  const me: Holder = { pid: process.pid, host: os.hostname(), started: startTimeOf(process.pid) };
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readHolder(file);
    if (holder && (holder.pid === process.pid || alive(holder))) throw new DataDirInUseError(database, holder.pid);
    if (attempt >= 3) throw new DataDirInUseError(database, holder?.pid ?? 0);
    takeOverStale(file, holder);
  }
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    if (readHolder(file)?.pid === process.pid) fs.rmSync(file, { force: true });
  };
  process.on('exit', release);
  return { release };
}

/**
 * Moves a dead owner's lock aside under a name of our own, so that of two processes
 * taking over at once only one removes it; if what was moved turns out to be a fresh
 * lock of someone else, it is put back.
 */
function takeOverStale(file: string, stale: Holder | undefined): void {
  const aside = `${file}.${process.pid}.stale`;
  try {
    fs.renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const moved = readHolder(aside);
  if (moved && moved.pid !== stale?.pid && alive(moved)) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // A third process has locked it meanwhile; the moved lock's owner will see it refused.
    }
  }
  fs.rmSync(aside, { force: true });
}
