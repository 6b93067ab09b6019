import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileLines } from './import-file';

describe('fileLines', () => {
  it('reads LF and CRLF lines, across read chunks, with or without a last newline', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tovholder-lines-'));
    try {
      const long = `{"name":"${'æ😀'.repeat(40_000)}"}`;
      const cases: [string, string[]][] = [
        ['a\nb\n', ['a', 'b']],
        ['a\r\nb', ['a', 'b']],
        ['\n\nx\n', ['', '', 'x']],
        [`${long}\r\n${long}\nz`, [long, long, 'z']],
        ['', []],
      ];
      for (const [text, expected] of cases) {
        const file = join(folder, 'lines.ndjson');
        await writeFile(file, text);
        const lines: string[] = [];
        for await (const batch of fileLines(file)()) lines.push(...batch);
        expect(lines).toEqual(expected);
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
