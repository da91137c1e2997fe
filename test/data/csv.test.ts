import { expect } from '@esm-bundle/chai';
import { CsvError, parseCsv, suggestColumns, tableFromCsv, type ParsedCsv } from '../../src/data/csv.ts';

/** Runs f, expects a CsvError, and returns it for checks on its message and line. */
function csvError(f: () => unknown): CsvError {
  try {
    f();
  } catch (e) {
    expect(e).to.be.instanceOf(CsvError);
    return e as CsvError;
  }
  throw new Error('expected a CsvError');
}

const table = (text: string) => {
  const csv = parseCsv(text);
  return tableFromCsv(csv, suggestColumns(csv));
};

describe('parseCsv quoting', () => {
  it('reads quoted fields, escaped quotes and delimiters inside quotes', () => {
    const csv = parseCsv('name,v\n"a, b",1\n"say ""hi""",2\n"",3\n');
    expect(csv.header).to.deep.equal(['name', 'v']);
    expect(csv.rows).to.deep.equal([
      ['a, b', '1'],
      ['say "hi"', '2'],
      ['', '3'],
    ]);
  });

  it('keeps newlines inside quotes and counts lines across them', () => {
    const csv = parseCsv('x,note\n1,"two\nlines"\n2,"three\r\nline\nfield"\n3,plain');
    expect(csv.rows[0]).to.deep.equal(['1', 'two\nlines']);
    expect(csv.rows[1]).to.deep.equal(['2', 'three\r\nline\nfield']);
    expect(csv.rowLines).to.deep.equal([2, 4, 7]);
  });

  it('handles CRLF, a BOM, a missing final newline and blank lines', () => {
    const csv = parseCsv('\ufeffa,b\r\n1,2\r\n\r\n3,4\r\n  \r\n');
    expect(csv.header).to.deep.equal(['a', 'b']);
    expect(csv.rows).to.deep.equal([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(csv.rowLines).to.deep.equal([2, 4]);
  });

  it('detects semicolons and tabs, and ignores delimiters inside quotes when detecting', () => {
    const semi = parseCsv('a;b;c\n"1,5";2;3\n4;5;6\n');
    expect(semi.delimiter).to.equal(';');
    expect(semi.rows[0]).to.deep.equal(['1,5', '2', '3']);
    const tab = parseCsv('a\tb\n1\t2\n3\t4\n');
    expect(tab.delimiter).to.equal('\t');
    expect(tab.rows).to.deep.equal([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(parseCsv('a,b\n1,2').delimiter).to.equal(',');
  });
});

describe('parseCsv header detection', () => {
  it('takes a non-numeric first row above numeric rows as the header', () => {
    const csv = parseCsv('width,height,kind\n1,2,cat\n3,4,dog\n');
    expect(csv.hasHeader).to.equal(true);
    expect(csv.header).to.deep.equal(['width', 'height', 'kind']);
    expect(csv.rows).to.have.length(2);
  });

  it('names columns when every row is data', () => {
    const csv = parseCsv('1,2,cat\n3,4,dog\n');
    expect(csv.hasHeader).to.equal(false);
    expect(csv.header).to.deep.equal(['column 1', 'column 2', 'column 3']);
    expect(csv.rows).to.have.length(2);
  });

  it('names blank header cells by position', () => {
    expect(parseCsv(',b\n1,2\n').header).to.deep.equal(['column 1', 'b']);
  });
});

describe('parseCsv rejects broken files', () => {
  it('an empty file', () => {
    expect(csvError(() => parseCsv('')).message).to.match(/empty/);
    expect(csvError(() => parseCsv(' \n\r\n')).message).to.match(/empty/);
  });

  it('a ragged row, naming the line and both counts', () => {
    const e = csvError(() => parseCsv('a,b,c\n1,2,3\n4,5\n'));
    expect(e.line).to.equal(3);
    expect(e.message)
      .to.match(/line 3/)
      .and.match(/2 fields/)
      .and.match(/has 3/);
  });

  it('an unterminated quote, naming the line where it opens', () => {
    const e = csvError(() => parseCsv('a,b\n1,2\n3,"open\n4,5\n'));
    expect(e.line).to.equal(3);
    expect(e.message).to.match(/never closed/);
  });

  it('text after a closing quote', () => {
    expect(csvError(() => parseCsv('a,b\n"x"y,1\n')).line).to.equal(2);
  });

  it('too many rows, columns or characters', () => {
    const rows = csvError(() => parseCsv('a\n1\n2\n3\n4\n', { maxRows: 3 }));
    expect(rows.message)
      .to.match(/too many rows/)
      .and.match(/3/);
    expect(rows.line).to.equal(5);
    expect(parseCsv('a\n1\n2\n3\n', { maxRows: 3 }).rows).to.have.length(3);
    const cols = csvError(() => parseCsv('1,2,3,4\n', { maxColumns: 3 }));
    expect(cols.message)
      .to.match(/columns/)
      .and.match(/3/);
    expect(cols.line).to.equal(1);
    expect(csvError(() => parseCsv('a,b\n1,2\n', { maxChars: 5 })).message).to.match(/too large/);
  });
});

describe('tableFromCsv', () => {
  it('reads numeric features and string labels, classes sorted', () => {
    const t = table('a,b,species\n1,2,versicolor\n3,4.5,setosa\n-1e2,.5,versicolor\n');
    expect(t.inputSize).to.equal(2);
    expect(t.featureNames).to.deep.equal(['a', 'b']);
    expect(Array.from(t.features)).to.deep.equal([1, 2, 3, 4.5, -100, 0.5]);
    expect(t.classNames).to.deep.equal(['setosa', 'versicolor']);
    expect(Array.from(t.labels)).to.deep.equal([1, 0, 1]);
  });

  it('sorts numeric labels by value and merges 1 with 1.0', () => {
    const t = table('x,y\n0.5,10\n1,2\n2,1.0\n3,1\n');
    expect(t.classNames).to.deep.equal(['1', '2', '10']);
    expect(Array.from(t.labels)).to.deep.equal([2, 1, 0, 0]);
  });

  it('one-hot encodes a text feature with few values', () => {
    const t = table('size,color,y\n1,red,a\n2,blue,b\n3,red,b\n');
    expect(t.featureNames).to.deep.equal(['size', 'color=blue', 'color=red']);
    expect(Array.from(t.features)).to.deep.equal([1, 0, 1, 2, 1, 0, 3, 0, 1]);
  });

  it('honours a chosen label and feature subset', () => {
    const csv = parseCsv('k,a,b\nx,1,2\ny,3,4\n');
    const t = tableFromCsv(csv, { label: 0, features: [2] });
    expect(t.featureNames).to.deep.equal(['b']);
    expect(Array.from(t.features)).to.deep.equal([2, 4]);
    expect(t.classNames).to.deep.equal(['x', 'y']);
  });

  it('rejects a text feature with too many values, naming column and line', () => {
    const rows = Array.from({ length: 25 }, (_, i) => `${i},w${i},c${i % 2}`).join('\n');
    const e = csvError(() => table(`n,word,y\n1,2,c0\n${rows}\n`));
    expect(e.message)
      .to.match(/"word"/)
      .and.match(/not numeric/)
      .and.match(/"w0"/);
    expect(e.line).to.equal(3);
  });

  it('rejects an empty cell, naming the line', () => {
    const e = csvError(() => table('a,b,y\n1,2,p\n3,,q\n'));
    expect(e.line).to.equal(3);
    expect(e.message)
      .to.match(/empty cell/)
      .and.match(/"b"/);
    expect(csvError(() => table('a,y\n1,p\n2,\n')).line).to.equal(3);
  });

  it('rejects labels with one class or more than 256', () => {
    expect(csvError(() => table('a,y\n1,p\n2,p\n')).message).to.match(/at least 2 classes/);
    const many = Array.from({ length: 300 }, (_, i) => `${i},${i}`).join('\n');
    expect(csvError(() => table(`a,y\n${many}\n`)).message).to.match(/≤ 256 classes/);
  });

  it('rejects bad column choices and a header without data', () => {
    const csv: ParsedCsv = parseCsv('a,b,c\n1,2,3\n4,5,6\n');
    expect(csvError(() => tableFromCsv(csv, { label: 3, features: [0] })).message).to.match(/does not exist/);
    expect(csvError(() => tableFromCsv(csv, { label: 2, features: [] })).message).to.match(/at least one feature/);
    expect(csvError(() => tableFromCsv(csv, { label: 2, features: [2] })).message).to.match(/both/);
    expect(csvError(() => table('a,b\n')).message).to.match(/no data rows/);
  });

  it('rejects a number too large for float32', () => {
    expect(csvError(() => table('a,y\n1e39,p\n2,q\n')).line).to.equal(2);
  });

  it('suggests the last column as label and the others as features', () => {
    expect(suggestColumns(parseCsv('a,b,c\n1,2,3\n'))).to.deep.equal({ label: 2, features: [0, 1] });
  });
});

describe('tableFromCsv for regression: a numeric target column', () => {
  const regression = (text: string) => {
    const csv = parseCsv(text);
    return tableFromCsv(csv, suggestColumns(csv), 'regression');
  };

  it('reads the target as numbers, named after its column, with quantile bins as labels', () => {
    const t = regression('area,rooms,price\n50,2,100.5\n70,3,150\n90,4,210\n60,2,120\n');
    expect([...t.values!]).to.deep.equal([100.5, 150, 210, 120]);
    expect(t.classNames).to.deep.equal(['price']);
    expect(t.inputSize).to.equal(2);
    expect(t.labels).to.have.length(4);
  });

  it('refuses text in the target with its line, and a target with a single value', () => {
    const text = csvError(() => regression('a,y\n1,2\n2,cheap\n3,4\n'));
    expect(text.message).to.match(/the target column "y" has text \("cheap"\); regression needs a number in every row/);
    expect(text.line).to.equal(3);
    expect(csvError(() => regression('a,y\n1,7\n2,7\n3,7\n')).message).to.match(/has a single value \(7\) in every row: there is nothing to predict/);
  });
});
