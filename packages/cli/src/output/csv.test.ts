// toCsv: quoting, number formatting and line ends.
import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.js';

describe('toCsv', () => {
  it('writes a header, one line per row, \\n line ends and a final newline', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          [1, 'x'],
          [2.5, 'y'],
        ],
      ),
    ).toBe('a,b\n1,x\n2.5,y\n');
    expect(toCsv(['a'], [])).toBe('a\n');
  });

  it('quotes cells holding a comma, a quote, a newline or a carriage return; doubles quotes', () => {
    const csv = toCsv(['h'], [['a,b'], ['say "hi"'], ['two\nlines'], ['cr\rhere'], ['plain']]);
    expect(csv).toBe('h\n"a,b"\n"say ""hi"""\n"two\nlines"\n"cr\rhere"\nplain\n');
  });

  it('quotes header cells by the same rule', () => {
    expect(toCsv(['x,y', 'z'], [])).toBe('"x,y",z\n');
  });

  it('prints NaN, null and undefined as empty, infinities as inf and -inf', () => {
    expect(toCsv(['a', 'b', 'c', 'd', 'e'], [[NaN, null, undefined, Infinity, -Infinity]])).toBe(
      'a,b,c,d,e\n,,,inf,-inf\n',
    );
  });

  it('prints numbers in their shortest round-trip form', () => {
    const xs = [0.1 + 0.2, 1e21, 1e-7, -0, 123456789012345680000, 5e-324];
    const line = toCsv(
      ['x'],
      xs.map((x) => [x]),
    )
      .split('\n')
      .slice(1, -1);
    expect(line).toEqual([
      '0.30000000000000004',
      '1e+21',
      '1e-7',
      '0',
      '123456789012345680000',
      '5e-324',
    ]);
    expect(line.map(Number)).toEqual(xs.map((x) => (Object.is(x, -0) ? 0 : x)));
  });

  it('takes rows from any iterable, a generator included', () => {
    function* rows(): Generator<number[]> {
      yield [1];
      yield [2];
    }
    expect(toCsv(['n'], rows())).toBe('n\n1\n2\n');
  });
});
