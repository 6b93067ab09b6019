import { arrayLiteral } from '@tovholder/read-models';
import { openReadModelFixture, type ReadModelFixture } from './support/read-model-db';

/* The casework projector writes its rows as column arrays in text form: every value must come back as it went in. */
describe('column arrays', () => {
  let fixture: ReadModelFixture;

  beforeAll(async () => {
    fixture = await openReadModelFixture();
  });

  afterAll(async () => {
    await fixture.close();
  });

  it('carry any text, nulls and instants unchanged', async () => {
    const texts = [
      'CBU',
      '',
      ' ',
      'NULL',
      'null',
      'a,b',
      '{x}',
      'say "hi"',
      'back\\slash\\',
      'æøå €',
      'tab\there',
      'line\nbreak',
      null,
    ];
    const [row] = await fixture.dataSource.query<
      { texts: (string | null)[]; instants: string[] }[]
    >(
      `SELECT $1::text[] AS texts, (SELECT array_agg(to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS')) FROM unnest($2::timestamptz[]) t) AS instants`,
      [
        arrayLiteral(texts),
        arrayLiteral([new Date('2024-03-31T01:00:00.001Z'), '2024-10-27T00:59:59.999Z']),
      ],
    );
    expect(row?.texts).toEqual(texts);
    expect(row?.instants).toEqual(['2024-03-31T01:00:00.001', '2024-10-27T00:59:59.999']);
  });
});
