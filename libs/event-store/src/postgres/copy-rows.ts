/** The buffer of rows whose COPY has ended, kept for the next rows (see `recycle`). */
let spare: Buffer | null = null;
const SPARE_MAX_BYTES = 32 << 20;

/**
 * Rows in COPY's text format (values split by tabs, rows ended by a newline), written as UTF-8
 * straight into one growing buffer: the event store's large appends, and the import's rows
 * beside them. Each value is written as it is, never joined into a row string first: a joined
 * string is a copy of the row, and at the import's rate those copies were most of its garbage
 * (and a long string built first cost more to encode than the rows cost to build).
 */
export class CopyRows {
  private buffer: Buffer;
  private length = 0;

  constructor(expectedBytes = 1 << 16) {
    const bytes = Math.max(expectedBytes, 1 << 16);
    if (spare !== null && spare.length >= bytes) {
      this.buffer = spare;
      spare = null;
    } else {
      this.buffer = Buffer.allocUnsafe(bytes);
    }
  }

  /**
   * Passes the buffer on to the next rows, once their bytes are sent (the COPY has ended): an
   * import's batch is megabytes, and a fresh buffer each was memory for the kernel to map and
   * for the collector to free. The rows are empty afterwards.
   */
  recycle(): void {
    if (this.buffer.length <= SPARE_MAX_BYTES && (spare?.length ?? 0) < this.buffer.length) {
      spare = this.buffer;
    }
    this.buffer = Buffer.alloc(0);
    this.length = 0;
  }

  /** A value already in COPY's text format (see `copyText`, `copyJson`) and the tab after it. */
  value(text: string): void {
    // A UTF-16 code unit is at most 3 bytes of UTF-8, so the room is checked without encoding.
    this.makeRoom(this.length + text.length * 3 + 1);
    this.length += this.buffer.write(text, this.length);
    this.buffer[this.length++] = 0x09;
  }

  /** A revision (a whole number, 0 or more), written digit by digit: no string is made for it. */
  integer(value: number): void {
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits += 1;
    this.makeRoom(this.length + digits + 1);
    let rest = value;
    for (let place = this.length + digits - 1; place >= this.length; place--) {
      this.buffer[place] = 0x30 + (rest % 10);
      rest = Math.floor(rest / 10);
    }
    this.length += digits;
    this.buffer[this.length++] = 0x09;
  }

  /** A `bytea` value given as hex (`\x…`, its backslash doubled as COPY's text format needs). */
  byteaHex(hex: string): void {
    this.makeRoom(this.length + 3);
    this.buffer[this.length++] = 0x5c;
    this.buffer[this.length++] = 0x5c;
    this.buffer[this.length++] = 0x78;
    this.value(hex);
  }

  /** Ends the row: its last value's tab becomes the newline. */
  endRow(): void {
    this.buffer[this.length - 1] = 0x0a;
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private makeRoom(room: number): void {
    if (room <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, room));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}

const COPY_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** A value in COPY's text format: backslash, newline, carriage return and tab escaped. */
export function copyText(value: string): string {
  return /[\\\n\r\t]/.test(value)
    ? value.replace(/[\\\n\r\t]/g, (special) => COPY_ESCAPES[special] ?? special)
    : value;
}

/** JSON text in COPY's text format: JSON escapes every control character, not backslash. */
export function copyJson(json: string): string {
  return json.includes('\\') ? json.replaceAll('\\', '\\\\') : json;
}
