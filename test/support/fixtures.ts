import { EVENT_STORE, type EventStore, type Position } from '@tovholder/event-store';
import { randomInt } from 'node:crypto';
import request from 'supertest';
import type { TestApp } from './test-app';

/**
 * A made-up CPR number for a birth date: a random serial whose 7th digit gives the right century
 * (domain.md). Generated per run, so no number is written into the repository.
 */
/** Numbers handed out in this test process: a birth date has only 1,000, so draws could repeat. */
const issuedCprs = new Set<string>();

export function fakeCpr(birthDate: string): string {
  const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
  const yy = year % 100;
  const seventh = year >= 2000 ? (yy <= 36 ? 4 : 5) : 0;
  const date = `${String(day).padStart(2, '0')}${String(month).padStart(2, '0')}${String(yy).padStart(2, '0')}`;
  for (let draw = 0; draw < 10_000; draw++) {
    const cpr = `${date}-${seventh}${String(randomInt(0, 1000)).padStart(3, '0')}`;
    if (issuedCprs.has(cpr)) continue;
    issuedCprs.add(cpr);
    return cpr;
  }
  throw new Error(`no unused test CPR number left for ${birthDate}`);
}

export async function registerPerson(
  t: TestApp,
  birthDate: string,
  name = 'Test Person',
): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const response = await request(t.server)
      .post('/persons')
      .send({ cpr: fakeCpr(birthDate), name });
    if (response.status === 201) return (response.body as { personId: string }).personId;
    if (response.status !== 409)
      throw new Error(`person not registered: ${response.status} ${JSON.stringify(response.body)}`);
  }
  throw new Error('could not find a free made-up CPR number');
}

export async function registerCaseworker(
  t: TestApp,
  departmentId: string,
  name = 'Caseworker',
): Promise<string> {
  const response = await request(t.server)
    .post('/caseworkers')
    .send({ departmentId, name })
    .expect(201);
  return (response.body as { caseworkerId: string }).caseworkerId;
}

export async function openCase(
  t: TestApp,
  personId: string,
  departmentId: string,
  caseType = 'support',
): Promise<{ caseId: string; position: string }> {
  const response = await request(t.server)
    .post('/cases')
    .send({ personId, departmentId, caseType })
    .expect(201);
  return response.body as { caseId: string; position: string };
}

/**
 * Until the event store's visible head has reached `position` (a command's answer). The head
 * passes an event only when every older transaction in the PostgreSQL cluster has ended, and the
 * test run's shared cluster is busy: a request that reads "the log up to now" (an agenda freeze)
 * could otherwise miss what the test wrote a moment ago.
 */
export async function untilLogHeadReaches(t: TestApp, position: string): Promise<void> {
  const [commit, prepare] = position.split('-').map(BigInt) as [bigint, bigint];
  await untilStoreHeadReaches(t.app.get<EventStore>(EVENT_STORE), { commit, prepare });
}

/** The same for a store a test opened itself (projection-runtime tests without an app). */
export async function untilStoreHeadReaches(store: EventStore, position: Position): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 10_000;) {
    const head = await store.headPosition();
    if (
      head &&
      (head.commit > position.commit ||
        (head.commit === position.commit && head.prepare >= position.prepare))
    ) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("the log's visible head did not reach the position within 10 s");
}
