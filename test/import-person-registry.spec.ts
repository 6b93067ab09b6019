import { randomBytes } from 'node:crypto';
import { parseCpr, type Cpr } from '@tovholder/domain/shared/cpr';
import { masterKeyFrom } from '../apps/api/src/persons/person-crypto';
import { PersonRegistry } from '../apps/api/src/persons/person-registry';
import { openReadModelFixture, type ReadModelFixture } from './support/read-model-db';

const NOW = new Date('2026-11-30T12:00:00.000Z');

function cpr(text: string): Cpr {
  const parsed = parseCpr(text, { today: '2026-11-30' });
  if (!parsed.ok) throw new Error(`test CPR number ${text} does not parse`);
  return parsed.value;
}

describe('PersonRegistry.registerMany (the import registers a chunk of persons at once)', () => {
  let fixture: ReadModelFixture;
  let registry: PersonRegistry;

  beforeAll(async () => {
    fixture = await openReadModelFixture();
    registry = new PersonRegistry(fixture.dataSource, masterKeyFrom(randomBytes(32)));
  });
  afterAll(async () => {
    await registry.onModuleDestroy();
    await fixture.close();
  });

  it('keeps one person per CPR number: registered before, twice in the batch, or new', async () => {
    const before = await registry.register(cpr('010190-1001'), 'Anna Før', false, NOW);
    if (before.kind !== 'registered') throw new Error('the first registration found someone');

    const results = await registry.registerMany(
      [
        { cpr: cpr('010190-1001'), name: 'Anna Igen', exemptFromDigitalPost: false },
        { cpr: cpr('020290-2002'), name: 'Bo Ny', exemptFromDigitalPost: true },
        { cpr: cpr('0202902002'), name: 'Bo To Gange', exemptFromDigitalPost: false },
        { cpr: cpr('030390-3003'), name: 'Cille Ny', exemptFromDigitalPost: false },
      ],
      NOW,
    );

    expect(results.map((result) => result.registered)).toEqual([false, true, false, true]);
    expect(results[0]?.personId).toBe(before.person.personId);
    expect(results[2]?.personId).toBe(results[1]?.personId);
    expect(new Set(results.map((result) => result.personId)).size).toBe(3);

    // Sealed as `register` seals: found by CPR number, opened with the batch's first name.
    const bo = await registry.findByCpr(cpr('020290-2002'));
    expect(bo).toMatchObject({
      erased: false,
      personId: results[1]?.personId,
      name: 'Bo Ny',
      cpr: '0202902002',
      birthDate: '1990-02-02',
      exemptFromDigitalPost: true,
    });
    const [stored] = await fixture.dataSource.query<{ n: string; plain: string }[]>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE plain_name IS NOT NULL) AS plain FROM persons`,
    );
    expect(stored).toEqual({ n: '3', plain: '0' });
  });

  it('registers the same batch again as the persons already there', async () => {
    const batch = [{ cpr: cpr('040490-4004'), name: 'Dan', exemptFromDigitalPost: false }];
    const [first] = await registry.registerMany(batch, NOW);
    const [again] = await registry.registerMany(batch, NOW);
    expect(first?.registered).toBe(true);
    expect(again).toEqual({ registered: false, personId: first?.personId });
  });

  it('hashes and seals a large batch on its worker thread as a small one is', async () => {
    // 250 persons: over the size the registry hashes and seals on its worker thread; found by
    // CPR number below with a hash made in this thread.
    const batch = Array.from({ length: 250 }, (_, index) => ({
      cpr: cpr(`0${1 + (index % 9)}0585-${String(5000 + index)}`),
      name: `Æblerød Ørnsø ${index} "citat" \\ backslash`,
      exemptFromDigitalPost: index % 2 === 0,
    }));
    const results = await registry.registerMany(batch, NOW);
    expect(results.every((result) => result.registered)).toBe(true);
    for (const index of [0, 137, 249]) {
      await expect(registry.findByCpr(batch[index]!.cpr)).resolves.toMatchObject({
        erased: false,
        personId: results[index]?.personId,
        name: batch[index]?.name,
        cpr: batch[index]?.cpr.normalized,
        exemptFromDigitalPost: index % 2 === 0,
      });
    }
  });

  it("answers a batch prepared before an earlier one was inserted with the earlier one's person", async () => {
    const first = registry.prepareMany([
      { cpr: cpr('050590-5005'), name: 'Eva', exemptFromDigitalPost: false },
    ]);
    // Looked up while the first is not yet inserted: the CPR number is new to both.
    const second = registry.prepareMany([
      { cpr: cpr('060690-6006'), name: 'Finn', exemptFromDigitalPost: false },
      { cpr: cpr('050590-5005'), name: 'Eva Igen', exemptFromDigitalPost: false },
    ]);
    await second.ready;
    const [eva] = await registry.registerPrepared(first, NOW);
    const [finn, evaAgain] = await registry.registerPrepared(second, NOW);
    expect(eva?.registered).toBe(true);
    expect(finn?.registered).toBe(true);
    expect(evaAgain).toEqual({ registered: false, personId: eva?.personId });
    await expect(registry.findByCpr(cpr('050590-5005'))).resolves.toMatchObject({ name: 'Eva' });
  });

  it('a large batch (written by COPY) that meets a CPR number registered meanwhile still registers the rest', async () => {
    const batch = Array.from({ length: 220 }, (_, index) => ({
      cpr: cpr(`0${1 + (index % 9)}0786-${String(6000 + index)}`),
      name: `Person ${index}`,
      exemptFromDigitalPost: false,
    }));
    const prepared = registry.prepareMany(batch);
    await prepared.ready;
    // Registered after the batch looked its CPR numbers up: the COPY meets it and writes nothing.
    const meanwhile = await registry.register(batch[100]!.cpr, 'Registreret imens', false, NOW);
    if (meanwhile.kind !== 'registered') throw new Error('the registration found someone');
    const results = await registry.registerPrepared(prepared, NOW);
    expect(results[100]).toEqual({ registered: false, personId: meanwhile.person.personId });
    expect(results.filter((result) => result.registered)).toHaveLength(219);
    await expect(registry.findByCpr(batch[219]!.cpr)).resolves.toMatchObject({
      personId: results[219]?.personId,
      name: 'Person 219',
    });
    const [keys] = await fixture.dataSource.query<{ n: string }[]>(
      'SELECT count(*) AS n FROM person_keys WHERE person_id = ANY($1::uuid[])',
      [results.map((result) => result.personId)],
    );
    expect(keys?.n).toBe('220');
  });
});
