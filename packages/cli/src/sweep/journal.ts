// The journal of a sweep in progress: one line per finished run, appended as runs finish, so a
// killed sweep (kill -9 included) resumes without recomputing or losing a run.
import {
  closeSync,
  existsSync,
  ftruncateSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ContagionError } from '@contagion/core';

/** The journal's file name inside the output folder, and its lock's. */
export const JOURNAL = '.sweep-journal';
export const LOCK = '.sweep-lock';

/**
 * Take the folder's lock: `host pid` written with exclusive create. A lock left by a process of
 * this host that is no longer running (killed) is taken over; one held by a live process, or by
 * another host, is an error, unless `takeOver` (a batch scheduler rerunning a failed task on
 * another node, which it guarantees runs once).
 */
function lock(dir: string, takeOver = false): () => void {
  const path = join(dir, LOCK);
  const me = `${hostname()} ${process.pid}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${me}\n`, { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new ContagionError('usage', `${path}: cannot take the lock: ${(e as Error).message}`);
    }
    const [host, pidText] = readFileSync(path, 'utf8').trim().split(' ');
    const pid = Number(pidText);
    let alive = !takeOver;
    if (!takeOver && host === hostname() && Number.isInteger(pid)) {
      try {
        process.kill(pid, 0);
      } catch (e) {
        alive = (e as NodeJS.ErrnoException).code === 'EPERM';
      }
    }
    if (alive)
      throw new ContagionError(
        'usage',
        `${dir}: another sweep (pid ${pidText ?? '?'} on ${host ?? '?'}) is writing here; wait for it, or, if it is not running, run again with --take-over (or delete ${path})`,
      );
    rmSync(path, { force: true });
  }
  throw new ContagionError('usage', `${path}: cannot take the lock`);
}

const HEADER = '# contagion sweep journal ';

/** A line's check: the first 8 hex digits of SHA-256 of the row text. */
function check(row: string): string {
  return createHash('sha256').update(row).digest('hex').slice(0, 8);
}

/** An open journal: the rows it already holds (run -> CSV line) and a way to add more. */
export interface Journal {
  readonly path: string;
  readonly rows: Map<number, string>;
  /** Rows dropped when it was opened: a line torn by a kill in the middle of a write. */
  readonly dropped: number;
  append(lines: readonly { run: number; line: string }[]): void;
  close(): void;
}

/**
 * Open (or start) the journal of the sweep `identity` in `dir`, holding the folder's lock until
 * `close`. Each line is `<csv row>\t<check>`;
 * reading stops at the first line that is incomplete or fails its check (a write cut short), and
 * the file is cut back to the lines before it. A journal of another sweep is an error.
 */
export function openJournal(dir: string, identity: string, takeOver = false): Journal {
  const unlock = lock(dir, takeOver);
  try {
    return openLocked(dir, identity, unlock);
  } catch (e) {
    unlock();
    throw e;
  }
}

function openLocked(dir: string, identity: string, unlock: () => void): Journal {
  const path = join(dir, JOURNAL);
  const rows = new Map<number, string>();
  let dropped = 0;
  let keep = 0;
  const fresh = !existsSync(path);
  if (!fresh) {
    const text = readFileSync(path, 'utf8');
    const first = text.indexOf('\n');
    const head = first < 0 ? text : text.slice(0, first);
    if (first < 0 && `${HEADER}${identity}`.startsWith(text)) {
      // Killed while writing the header: start again.
    } else if (head !== `${HEADER}${identity}`) {
      throw new ContagionError(
        'usage',
        `${path}: an unfinished sweep with other settings is in this folder (${head.slice(HEADER.length, HEADER.length + 12) || 'no header'}...); run it again with its own flags to finish it, delete the file to discard it, or choose another --out`,
      );
    } else {
      keep = first + 1;
      let at = keep;
      while (at < text.length) {
        const end = text.indexOf('\n', at);
        const line = end < 0 ? text.slice(at) : text.slice(at, end);
        const tab = line.lastIndexOf('\t');
        const row = tab < 0 ? '' : line.slice(0, tab);
        const run = Number(row.slice(0, row.indexOf(',')));
        if (end < 0 || tab < 0 || check(row) !== line.slice(tab + 1) || !Number.isInteger(run)) {
          dropped = 1;
          break;
        }
        if (!rows.has(run)) rows.set(run, row);
        at = end + 1;
        keep = at;
      }
    }
  }
  let fd: number;
  try {
    fd = openSync(path, fresh || keep === 0 ? 'w' : 'r+');
    if (fresh || keep === 0) {
      const h = Buffer.from(`${HEADER}${identity}\n`);
      writeSync(fd, h, 0, h.length, 0);
      keep = h.length;
    }
    ftruncateSync(fd, keep);
  } catch (e) {
    throw new ContagionError('usage', `${path}: cannot write the journal: ${(e as Error).message}`);
  }
  let pos = keep;
  return {
    path,
    rows,
    dropped,
    append(lines) {
      if (lines.length === 0) return;
      const text = lines.map((l) => `${l.line}\t${check(l.line)}\n`).join('');
      const bytes = Buffer.from(text, 'utf8');
      for (let off = 0; off < bytes.length;) {
        const n = writeSync(fd, bytes, off, bytes.length - off, pos);
        off += n;
        pos += n;
      }
      for (const l of lines) rows.set(l.run, l.line);
    },
    close() {
      closeSync(fd);
      unlock();
    },
  };
}
