import {
  arrayLiteral,
  deleteArrays,
  runArrayWrites,
  updateArrays,
  upsertArrays,
} from '@tovholder/read-models';
import { openReadModelFixture, type ReadModelFixture } from './support/read-model-db';

// The column-array writes of set-based projectors: PostgreSQL must read back exactly what was
// sent, whatever characters a text value holds.
describe('array rows', () => {
  let fixture: ReadModelFixture;

  beforeAll(async () => {
    fixture = await openReadModelFixture();
    await fixture.dataSource.query(
      'CREATE TABLE array_rows_test (id uuid PRIMARY KEY, label text, at timestamptz, on_duty boolean)',
    );
  });
  afterAll(() => fixture.close());

  it('sends any text, the empty string and the word NULL as themselves', async () => {
    const values = [
      'plain',
      '',
      'NULL',
      'null',
      'a,b',
      'x"y',
      'back\\slash',
      ' lead',
      'trail ',
      '{b}',
      'æøå',
      'tab\there',
      'two\nlines',
      null,
      'a b',
    ];
    const rows = await fixture.dataSource.query<{ a: (string | null)[] }[]>(
      'SELECT $1::text[] AS a',
      [arrayLiteral(values)],
    );
    expect(rows[0]?.a).toEqual(values);
  });

  it('rejects a malformed uuid rather than splitting it into two elements', async () => {
    await expect(
      fixture.dataSource.query('SELECT $1::uuid[] AS a', [arrayLiteral(['a,b'])]),
    ).rejects.toThrow(/uuid/);
  });

  it('inserts, updates, upserts and deletes rows from column arrays', async () => {
    const first = '00000000-0000-4000-8000-000000000001';
    const second = '00000000-0000-4000-8000-000000000002';
    const columns = { id: 'uuid', label: 'text', at: 'timestamptz', on_duty: 'boolean' };
    const read = () =>
      fixture.dataSource.query<{ id: string; label: string; at: Date | null; on_duty: boolean }[]>(
        'SELECT * FROM array_rows_test ORDER BY id',
      );
    const manager = fixture.dataSource.manager;
    await runArrayWrites(manager, [
      upsertArrays(
        'array_rows_test',
        columns,
        [{ id: first, label: 'one, "1"', at: '2026-05-01T08:00:00.000Z', on_duty: true }],
        { key: [] },
      ),
    ]);
    // Together, as one statement: an update and an upsert of other rows, and nothing to delete.
    await runArrayWrites(manager, [
      updateArrays(
        'array_rows_test',
        { id: 'uuid', label: 'text', on_duty: 'boolean' },
        [{ id: first, label: 'één', on_duty: false }],
        ['id'],
      ),
      upsertArrays(
        'array_rows_test',
        columns,
        [{ id: second, label: '', at: new Date('2026-05-02T08:00:00.000Z'), on_duty: true }],
        { key: ['id'] },
      ),
      deleteArrays('array_rows_test', { id: 'uuid' }, []),
    ]);
    await runArrayWrites(manager, [
      upsertArrays(
        'array_rows_test',
        columns,
        [{ id: first, label: 'ignored', at: null, on_duty: true }],
        {
          key: ['id'],
        },
      ),
    ]);
    expect(await read()).toEqual([
      { id: first, label: 'één', at: new Date('2026-05-01T08:00:00.000Z'), on_duty: false },
      { id: second, label: '', at: new Date('2026-05-02T08:00:00.000Z'), on_duty: true },
    ]);
    await runArrayWrites(manager, [
      deleteArrays('array_rows_test', { id: 'uuid' }, [{ id: first }]),
    ]);
    expect((await read()).map((row) => row.id)).toEqual([second]);
  });
});
