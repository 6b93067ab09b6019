import { rebuildBlueGreen } from '@tovholder/read-models';
import { loadConfig } from '../apps/api/src/config/app-config';
import { createProjectors } from '../apps/api/src/read-models';
import { openReadModelFixture, type ReadModelFixture } from './support/read-model-db';

async function indexesOf(fixture: ReadModelFixture, tables: readonly string[]) {
  return fixture.dataSource.query<{ indexname: string; indexdef: string }[]>(
    `SELECT indexname, indexdef FROM pg_indexes
      WHERE schemaname = 'public' AND tablename = ANY($1::text[]) ORDER BY indexname`,
    [tables],
  );
}

describe('query-only indexes of the projectors', () => {
  let fixture: ReadModelFixture;
  beforeAll(async () => {
    fixture = await openReadModelFixture();
  });
  afterAll(async () => {
    await fixture.close();
  });

  const projectors = createProjectors(loadConfig({}));

  it.each(projectors.map((p) => [p.name, p] as const))(
    '%s names only indexes on its own tables',
    async (_name, projector) => {
      const names = (await indexesOf(fixture, projector.tables)).map((i) => i.indexname);
      for (const index of projector.queryOnlyIndexes ?? []) expect(names).toContain(index);
    },
  );

  it('a blue/green rebuild leaves every index as the migrations made it, the deferred ones too', async () => {
    const projector = projectors.find((p) => (p.queryOnlyIndexes ?? []).length > 1);
    if (!projector) throw new Error('no projector with query-only indexes');
    const before = await indexesOf(fixture, projector.tables);
    await rebuildBlueGreen(fixture.dataSource, fixture.store, projector);
    expect(await indexesOf(fixture, projector.tables)).toEqual(before);
  });

  it("a blue/green rebuild keeps the tables' storage parameters an operator set", async () => {
    const projector = projectors.find((p) => p.name === 'casework');
    if (!projector) throw new Error('no casework projector');
    const options = async () => {
      const [row] = await fixture.dataSource.query<{ options: string[] | null }[]>(
        "SELECT reloptions AS options FROM pg_class WHERE oid = 'public.casework_records'::regclass",
      );
      return row?.options ?? null;
    };
    await fixture.dataSource.query(
      'ALTER TABLE casework_records SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.05)',
    );
    try {
      await rebuildBlueGreen(fixture.dataSource, fixture.store, projector);
      expect(await options()).toEqual(['fillfactor=80', 'autovacuum_vacuum_scale_factor=0.05']);
    } finally {
      await fixture.dataSource.query(
        'ALTER TABLE casework_records RESET (fillfactor, autovacuum_vacuum_scale_factor)',
      );
    }
  });
});
