import fc from 'fast-check';
import { monthOfChange, monthOfChangeAt } from '../apps/api/src/casework/month-ends';
import { openReadModelFixture, type ReadModelFixture } from './support/read-model-db';

/*
 * The projector computes the Danish month a change counts from in JS (`monthOfChangeAt`), the
 * backfill and the migrations in SQL (`monthOfChange`): both must give the same month for every
 * instant, above all those on or next to a month's first instant, across DST changes, with
 * offsets and with fractions of a millisecond as PostgreSQL rounds them.
 */

const HOUR = 3_600_000;

/** Instants near each Copenhagen month start of some years (and DST changes), as text. */
function boundaryInstants(): string[] {
  const texts: string[] = [];
  for (let year = 1995; year <= 2031; year += 6) {
    for (let month = 0; month < 12; month++) {
      for (const hoursFromUtcStart of [-3, -2, -1, 0, 1]) {
        const base = Date.UTC(year, month, 1) + hoursFromUtcStart * HOUR;
        for (const delta of [-1, 0, 1]) {
          const iso = new Date(base + delta).toISOString();
          texts.push(iso, iso.replace('Z', '001Z'), iso.replace('Z', '0000004Z'));
          texts.push(iso.replace('Z', '9999996Z'), iso.replace(/\.\d{3}Z$/, 'Z'));
          texts.push(shiftedTo(base + delta, 2), shiftedTo(base + delta, -5));
        }
      }
    }
  }
  return texts;
}

/** The instant written with a UTC offset of `hours`. */
function shiftedTo(ms: number, hours: number): string {
  const local = new Date(ms + hours * HOUR).toISOString().slice(0, -1);
  const sign = hours < 0 ? '-' : '+';
  return `${local}${sign}${String(Math.abs(hours)).padStart(2, '0')}:00`;
}

describe('the month a change counts from', () => {
  let fixture: ReadModelFixture;

  beforeAll(async () => {
    fixture = await openReadModelFixture();
  });

  afterAll(async () => {
    await fixture.close();
  });

  async function monthsInSql(texts: readonly string[]): Promise<string[]> {
    const rows = await fixture.dataSource.query<{ month: string }[]>(
      `SELECT ${monthOfChange('at')}::text AS month
         FROM unnest($1::timestamptz[]) WITH ORDINALITY AS x(at, n) ORDER BY n`,
      [texts],
    );
    return rows.map((row) => row.month);
  }

  it('is the same in JS and SQL on and around every month start', async () => {
    const texts = boundaryInstants();
    expect(texts.map(monthOfChangeAt)).toEqual(await monthsInSql(texts));
  });

  it('takes no instant without a zone (JS and PostgreSQL would read it in their own)', () => {
    expect(() => monthOfChangeAt('2024-03-01T00:00:00.000')).toThrow(RangeError);
    expect(() => monthOfChangeAt('not a time')).toThrow(RangeError);
  });

  it('is the same in JS and SQL for any instant', async () => {
    const instants = fc.sample(
      // Whole hours give the month starts, small steps from them the instants around them.
      fc
        .tuple(
          fc.integer({ min: Date.UTC(1990, 0, 1) / HOUR, max: Date.UTC(2040, 0, 1) / HOUR }),
          fc.oneof(fc.constant(0), fc.integer({ min: -2, max: 2 }), fc.nat(HOUR - 1)),
        )
        .map(([hour, ms]) => new Date(hour * HOUR + ms).toISOString()),
      { numRuns: 2000, seed: 13 },
    );
    expect(instants.map(monthOfChangeAt)).toEqual(await monthsInSql(instants));
  });
});
