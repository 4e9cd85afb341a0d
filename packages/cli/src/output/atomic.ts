// Write a set of output files so that none is ever seen half-written: temp directory, then rename.
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ContagionError } from '@contagion/core';

/**
 * Contents of one output file: text, bytes, or text chunks written one after another as they are
 * produced (a generator keeps only one chunk in memory at a time).
 */
export type OutputContent = string | Uint8Array | Iterable<string>;

/** Output files by name relative to the output directory. */
export type OutputFiles = ReadonlyMap<string, OutputContent>;

function writeContent(path: string, data: OutputContent): void {
  const fd = openSync(path, 'w');
  try {
    const parts = typeof data === 'string' || data instanceof Uint8Array ? [data] : data;
    for (const part of parts) {
      const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
      for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Write every file into a fresh temporary directory beside `outDir`, then rename each into place.
 * Each file is complete before it replaces an older one; a failure while writing leaves `outDir` as
 * it was (not even created). Renames happen one file at a time, so only a crash between two of them
 * could leave files of two runs side by side. File-system failures (a path that is a file, no
 * permission) become a ContagionError naming the folder.
 */
export function writeOutputs(outDir: string, files: OutputFiles): string[] {
  const target = resolve(outDir);
  try {
    mkdirSync(dirname(target), { recursive: true });
    const tmp = mkdtempSync(join(dirname(target), '.contagion-tmp-'));
    try {
      for (const [name, data] of files) {
        const path = join(tmp, name);
        mkdirSync(dirname(path), { recursive: true });
        writeContent(path, data);
      }
      mkdirSync(target, { recursive: true });
      const written: string[] = [];
      for (const name of files.keys()) {
        const dest = join(target, name);
        mkdirSync(dirname(dest), { recursive: true });
        renameSync(join(tmp, name), dest);
        written.push(dest);
      }
      return written;
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  } catch (e) {
    // Only file-system failures are the user's to fix; anything else is a bug and stays one.
    if (e instanceof ContagionError || typeof (e as NodeJS.ErrnoException).code !== 'string')
      throw e;
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === 'EEXIST' || err.code === 'ENOTDIR'
        ? 'a file is in the way of the folder'
        : (err.code ?? err.message);
    throw new ContagionError('usage', `cannot write outputs to ${outDir}: ${why}`);
  }
}
