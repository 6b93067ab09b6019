import { createReadStream } from 'node:fs';
import type { LineSource } from './municipality-import';

/**
 * A file's lines (LF or CRLF), read afresh on every call (the strict mode reads the file twice),
 * a read's worth at a time. Split by hand: readline's async iteration costs more a line than
 * validating it with the schema, and so did a turn of an async generator a line.
 */
export function fileLines(path: string): LineSource {
  return async function* lines() {
    let rest = '';
    for await (const chunk of createReadStream(path, { encoding: 'utf8' })) {
      const parts = (rest + (chunk as string)).split('\n');
      rest = parts.pop() ?? '';
      for (let index = 0; index < parts.length; index++) {
        const part = parts[index] ?? '';
        if (part.endsWith('\r')) parts[index] = part.slice(0, -1);
      }
      if (parts.length > 0) yield parts;
    }
    if (rest !== '') yield [rest.endsWith('\r') ? rest.slice(0, -1) : rest];
  };
}

/** Lines in a file, counted without parsing it (the progress bar's total). */
export async function countLines(path: string): Promise<number> {
  let count = 0;
  for await (const chunk of createReadStream(path)) {
    const bytes = chunk as Buffer;
    for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) count += 1;
  }
  return count;
}
