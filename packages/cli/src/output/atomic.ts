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
 * A failure before the renames leaves `outDir` untouched; each rename replaces a file atomically.
 */
export function writeOutputs(outDir: string, files: OutputFiles): string[] {
  const target = resolve(outDir);
  mkdirSync(target, { recursive: true });
  const tmp = mkdtempSync(join(dirname(target), '.contagion-tmp-'));
  try {
    for (const [name, data] of files) {
      const path = join(tmp, name);
      mkdirSync(dirname(path), { recursive: true });
      writeContent(path, data);
    }
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
}
