import { copyJson, CopyRows, copyText } from './copy-rows';

describe('CopyRows', () => {
  it('writes values, revisions and rows in COPY text format', () => {
    const revisions = [0, 7, 9, 10, 99, 100, 12_345, 2 ** 31, Number.MAX_SAFE_INTEGER];
    const rows = new CopyRows();
    for (const revision of revisions) {
      rows.value(copyText('stream\twith tab'));
      rows.integer(revision);
      rows.value(copyJson('{"a":"æ\\n"}'));
      rows.endRow();
    }
    const expected = revisions
      .map((revision) => `stream\\twith tab\t${revision}\t{"a":"æ\\\\n"}\n`)
      .join('');
    expect(rows.bytes().toString('utf8')).toBe(expected);
  });

  it('grows past its first buffer', () => {
    const rows = new CopyRows(1);
    const long = 'ø'.repeat(40_000);
    for (let row = 0; row < 3; row++) {
      rows.integer(row);
      rows.value(long);
      rows.endRow();
    }
    expect(rows.bytes().toString('utf8')).toBe(
      [0, 1, 2].map((row) => `${row}\t${long}\n`).join(''),
    );
  });

  it('starts empty on a recycled buffer, and the recycled rows are empty', () => {
    const first = new CopyRows(1 << 17);
    first.value('x'.repeat(1000));
    first.endRow();
    first.recycle();
    expect(first.bytes().length).toBe(0);
    const next = new CopyRows(1 << 17);
    next.value('y');
    next.endRow();
    expect(next.bytes().toString('utf8')).toBe('y\n');
  });
});
