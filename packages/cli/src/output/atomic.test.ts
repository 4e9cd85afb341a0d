// writeOutputs: whole files or none, chunks in order, and usage errors for paths in the way.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContagionError } from '@contagion/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeOutputs, type OutputContent } from './atomic.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'contagion-atomic-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Entries of `dir` left by writeOutputs' temporary folders. */
const temps = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('.contagion-tmp-'));

function usageError(f: () => unknown): ContagionError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ContagionError);
    expect((e as ContagionError).code).toBe('usage');
    return e as ContagionError;
  }
  throw new Error('expected a usage error');
}

describe('writeOutputs', () => {
  it('writes text, bytes and chunks (in order) under the folder, nested names included', () => {
    const out = join(root, 'runs', 'a');
    function* chunks(): Generator<string> {
      yield 'h1,h2\n';
      yield '1,2\n';
      yield '3,4\n';
    }
    const files = new Map<string, OutputContent>([
      ['summary.json', '{"ok":true}\n'],
      ['bytes.bin', new Uint8Array([0, 1, 2, 255])],
      ['events.csv', chunks()],
      ['deep/er/note.txt', 'héllo'],
    ]);
    const written = writeOutputs(out, files);
    expect(written).toEqual([...files.keys()].map((n) => join(out, n)));
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe('{"ok":true}\n');
    expect(Array.from(readFileSync(join(out, 'bytes.bin')))).toEqual([0, 1, 2, 255]);
    expect(readFileSync(join(out, 'events.csv'), 'utf8')).toBe('h1,h2\n1,2\n3,4\n');
    expect(readFileSync(join(out, 'deep/er/note.txt'), 'utf8')).toBe('héllo');
    expect(temps(join(root, 'runs'))).toEqual([]);
  });

  it('takes any iterable of strings, an array too', () => {
    const out = join(root, 'arr');
    writeOutputs(out, new Map([['x.txt', ['a', 'b', '', 'c']]]));
    expect(readFileSync(join(out, 'x.txt'), 'utf8')).toBe('abc');
  });

  it('puts no file in place until every file is written; an older file stays whole meanwhile', () => {
    const out = join(root, 'run');
    writeOutputs(out, new Map([['steps.csv', 'old\n']]));
    const seen: Array<[boolean, string]> = [];
    function* slow(): Generator<string> {
      yield 'new-1\n';
      seen.push([existsSync(join(out, 'first.txt')), readFileSync(join(out, 'steps.csv'), 'utf8')]);
      yield 'new-2\n';
    }
    writeOutputs(
      out,
      new Map<string, OutputContent>([
        ['first.txt', 'written first'],
        ['steps.csv', slow()],
      ]),
    );
    // While the second file was being produced, the first was not yet in place and the old one
    // was intact.
    expect(seen).toEqual([[false, 'old\n']]);
    expect(readFileSync(join(out, 'steps.csv'), 'utf8')).toBe('new-1\nnew-2\n');
    expect(readFileSync(join(out, 'first.txt'), 'utf8')).toBe('written first');
    expect(temps(root)).toEqual([]);
  });

  it('an output path that is a file: usage error, nothing created, the file untouched', () => {
    const file = join(root, 'taken');
    writeFileSync(file, 'keep me');
    const before = readdirSync(root).sort();
    const e = usageError(() => writeOutputs(file, new Map([['a.txt', 'x']])));
    expect(e.message).toContain(file);
    expect(readdirSync(root).sort()).toEqual(before);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('a file in the way of a parent folder: usage error, nothing created', () => {
    const file = join(root, 'taken');
    writeFileSync(file, 'keep me');
    usageError(() => writeOutputs(join(file, 'sub', 'out'), new Map([['a.txt', 'x']])));
    expect(readdirSync(root)).toEqual(['taken']);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('a failure while producing content leaves the folder uncreated and removes the temp folder', () => {
    const out = join(root, 'never');
    function* broken(): Generator<string> {
      yield 'part\n';
      throw new Error('boom');
    }
    expect(() =>
      writeOutputs(
        out,
        new Map<string, OutputContent>([
          ['a.txt', 'fine'],
          ['b.csv', broken()],
        ]),
      ),
    ).toThrow(/boom/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(root)).toEqual([]);
  });
});
