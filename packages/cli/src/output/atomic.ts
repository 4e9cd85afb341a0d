// Write a set of output files so that none is ever seen half-written: temp directory, then rename.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Contents of one output file, by name relative to the output directory. */
export type OutputFiles = ReadonlyMap<string, string | Uint8Array>;

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
      writeFileSync(path, data);
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
