import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startTestApp, type TestApp } from './support/test-app';

describe('departments are data', () => {
  let t: TestApp;
  beforeAll(async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'tovholder-departments-')), 'departments.json');
    await writeFile(
      file,
      JSON.stringify({
        departments: [
          { id: 'BORGERCENTER-HANDICAP', name: 'Borgercenter Handicap', area: 'adult-disability' },
        ],
      }),
    );
    t = await startTestApp({ config: { departmentsFile: file } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('ships the seeds’ departments and loads the municipality’s own from DEPARTMENTS_FILE', async () => {
    const response = await request(t.server).get('/departments').expect(200);
    const ids = (response.body as { id: string }[]).map((d) => d.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'CBU',
        'CHP',
        'CSAE',
        'JOBCENTER',
        'UNGEENHEDEN',
        'BORGERCENTER-HANDICAP',
      ]),
    );
  });

  it('adds, renames and retires departments through the API; a retired one takes no new cases', async () => {
    await request(t.server)
      .put('/departments/AKTIV-HELE-LIVET')
      .send({ name: 'Aktiv Hele Livet', area: 'adult-disability' })
      .expect(200);
    const imported = await request(t.server)
      .post('/departments/import')
      .send({
        departments: [
          { id: 'BOERNEINDSATSEN', name: 'Børneindsatsen', area: 'children' },
          {
            id: 'AKTIV-HELE-LIVET',
            name: 'Aktiv hele livet',
            area: 'adult-disability',
            active: false,
          },
        ],
      })
      .expect(200);
    expect(imported.body).toEqual(
      expect.arrayContaining([
        { id: 'BOERNEINDSATSEN', name: 'Børneindsatsen', area: 'children', active: true },
        {
          id: 'AKTIV-HELE-LIVET',
          name: 'Aktiv hele livet',
          area: 'adult-disability',
          active: false,
        },
      ]),
    );
    const refused = await request(t.server)
      .post('/caseworkers')
      .send({ departmentId: 'AKTIV-HELE-LIVET', name: 'X' })
      .expect(422);
    expect(refused.body.code).toBe('DEPARTMENT.UNKNOWN');
  });

  it('names the bad fields of an import and changes nothing', async () => {
    const before = await request(t.server).get('/departments').expect(200);
    const response = await request(t.server)
      .post('/departments/import')
      .send({
        departments: [
          { id: 'OK', name: 'Fine', area: 'children' },
          { id: 'bad id!', name: '', area: 'space' },
        ],
      })
      .expect(400);
    const fields = (response.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['departments.1.id', 'departments.1.name', 'departments.1.area']),
    );
    expect((await request(t.server).get('/departments').expect(200)).body).toEqual(before.body);
  });
});
