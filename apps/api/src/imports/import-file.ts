import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { LineSource } from './municipality-import';

/** A file's lines, read afresh on every call (the strict mode reads the file twice). */
export function fileLines(path: string): LineSource {
  return () => createInterface({ input: createReadStream(path), crlfDelay: Infinity });
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
