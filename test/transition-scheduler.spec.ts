import { randomInt } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TransitionScheduler } from '../apps/api/src/transitions/transition-scheduler.service';
import { openCase, registerPerson } from './support/fixtures';
import { ManualClock, startTestApp, type TestApp } from './support/test-app';

/** Adds whole days in UTC (the runs happen at 06:00 UTC, 07:00 or 08:00 in Copenhagen). */
const day = (start: string, offset: number): Date =>
  new Date(Date.parse(`${start}T06:00:00.000Z`) + offset * 86_400_000);

describe('the 16th-birthday scheduler over a simulated year', () => {
  let t: TestApp;
  const clock = new ManualClock(day('2026-01-01', 0));
  beforeAll(async () => {
    t = await startTestApp({
      clock,
      config: {
        transitions: {
          relevantCaseTypes: ['disability-support'],
          placementCaseTypes: [],
          notStartedGraceDays: 30,
          adultCaseworkerByAge: 17,
          decisionWarningMonthsBefore18: 3,
          schedulerCheckMs: 3_600_000,
        },
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('records every 16th birthday in scope exactly once, also across days the scheduler did not run', async () => {
    // Turning 16 in 2026 (leap-day born included), some out of scope, some too old or young.
    const births = [
      '2010-01-01',
      '2010-02-28',
      '2010-03-01',
      '2010-06-15',
      '2010-12-31',
      '2010-07-04',
      '2010-09-09',
      '2010-11-30',
      '2011-01-01',
      '2009-12-31',
      '2012-02-29',
    ];
    const people: { personId: string; birthDate: string; inScope: boolean }[] = [];
    let last = '';
    for (const [i, birthDate] of births.entries()) {
      const personId = await registerPerson(t, birthDate);
      const inScope = i % 4 !== 3;
      last = (await openCase(t, personId, 'CHP', inScope ? 'disability-support' : 'child-support'))
        .position;
      people.push({ personId, birthDate, inScope });
    }
    await request(t.server).get('/transitions').query({ waitForPosition: last }).expect(200);

    const scheduler = t.app.get(TransitionScheduler);
    let runs = 0;
    for (let offset = 0; offset < 365; offset++) {
      if (randomInt(0, 10) < 3 && offset !== 364) continue; // the scheduler was down that day (never 31 Dec, the last)
      clock.set(day('2026-01-01', offset));
      const result = await scheduler.run();
      expect(result).not.toBeNull();
      runs += 1;
    }
    expect(runs).toBeGreaterThan(200);

    const database = t.app.get(DataSource);
    for (const person of people) {
      const rows = await database.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM event_store.events WHERE stream_id = $1 AND type = 'TransitionPreparationDue'`,
        [`transition-${person.personId}`],
      );
      const turns16In2026 = person.birthDate.startsWith('2010');
      const turned16Before = person.birthDate === '2009-12-31';
      const expected = person.inScope && (turns16In2026 || turned16Before) ? 1 : 0;
      expect({
        birthDate: person.birthDate,
        inScope: person.inScope,
        recorded: Number(rows[0]?.n),
      }).toEqual({
        birthDate: person.birthDate,
        inScope: person.inScope,
        recorded: expected,
      });
    }
    // The run is nobody's request: its events name the system as the actor.
    const actors = await database.query<{ actor: string }[]>(
      `SELECT DISTINCT metadata->>'actor' AS actor FROM event_store.events WHERE type = 'TransitionPreparationDue'`,
    );
    expect(actors).toEqual([{ actor: 'system' }]);
  }, 120_000);
});
