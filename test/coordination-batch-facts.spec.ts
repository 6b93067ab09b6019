import type { CoordinationEvent } from '@tovholder/domain';
import { runArrayWrites } from '@tovholder/read-models';
import fc from 'fast-check';
import {
  batchFacts,
  foldEvent,
  loadState,
  stateWrites,
} from '../apps/api/src/coordination/family-coordination.fold';
import { loadFamiliesFacts } from '../apps/api/src/coordination/family-facts.sql';
import { openReadModelFixture, type ReadModelFixture } from './support/read-model-db';

// The family-coordination projector computes a batch's flags from the facts it holds in memory
// after folding the batch, not from the tables. Those facts must be exactly what the tables give
// once the batch is written, whatever the events (in any order, repeated, naming rows that are
// not there) and however the log is cut into batches.

const id = (kind: number, n: number): string =>
  `00000000-0000-4000-8${kind}00-${n.toString(16).padStart(12, '0')}`;
const FAMILIES = [0, 1, 2].map((n) => id(1, n));
const PERSONS = [0, 1, 2].map((n) => id(2, n));
const CASES = [0, 1, 2, 3, 4].map((n) => id(3, n));
const CASEWORKERS = [0, 1, 2].map((n) => id(4, n));

const family = fc.constantFrom(...FAMILIES);
const person = fc.constantFrom(...PERSONS);
const caseId = fc.constantFrom(...CASES);
const caseworker = fc.constantFrom(...CASEWORKERS);

/** An event without its time: the time is its place in the log. */
type Untimed = (at: string) => CoordinationEvent;

// The events that build up families with open cases come more often than the rest.
const often = <T>(arbitrary: fc.Arbitrary<T>) => ({ arbitrary, weight: 4 });

const untimedEvent: fc.Arbitrary<Untimed> = fc.oneof(
  often(
    family.map((familyId) => (at: string): CoordinationEvent => ({
      type: 'FamilyRegistered',
      data: { familyId, registeredAt: at },
    })),
  ),
  often(
    fc.tuple(family, person).map(([familyId, personId]) => (at: string): CoordinationEvent => ({
      type: 'FamilyMemberAdded',
      data: { familyId, personId, role: 'parent', addedAt: at },
    })),
  ),
  fc.tuple(family, person).map(([familyId, personId]) => (at: string): CoordinationEvent => ({
    type: 'FamilyMemberRemoved',
    data: { familyId, personId, removedAt: at },
  })),
  fc
    .tuple(family, caseworker)
    .map(([familyId, caseworkerId]) => (at: string): CoordinationEvent => ({
      type: 'PrimaryContactAssigned',
      data: { familyId, caseworkerId, assignedAt: at },
    })),
  fc
    .tuple(family, caseworker, caseworker)
    .map(([familyId, from, to]) => (at: string): CoordinationEvent => ({
      type: 'PrimaryContactHandedOver',
      data: {
        familyId,
        fromCaseworkerId: from,
        toCaseworkerId: to,
        reason: 'leave',
        handedOverAt: at,
      },
    })),
  fc
    .tuple(family, caseworker)
    .map(([familyId, caseworkerId]) => (at: string): CoordinationEvent => ({
      type: 'PrimaryContactReleased',
      data: { familyId, caseworkerId, reason: 'done', releasedAt: at },
    })),
  fc
    .tuple(family, caseworker)
    .map(([familyId, caseworkerId]) => (at: string): CoordinationEvent => ({
      type: 'FamilyToldOfPrimaryContact',
      data: { familyId, caseworkerId, channel: 'letter', toldAt: at },
    })),
  often(
    fc
      .tuple(caseId, person, fc.constantFrom('CHP', 'ADU'))
      .map(([c, personId, departmentId]) => (at: string): CoordinationEvent => ({
        type: 'CaseOpened',
        data: { caseId: c, personId, departmentId, caseType: 'support', openedAt: at },
      })),
  ),
  fc.tuple(caseId, caseworker).map(([c, caseworkerId]) => (at: string): CoordinationEvent => ({
    type: 'CaseworkerAssigned',
    data: { caseId: c, caseworkerId, assignedAt: at },
  })),
  fc
    .tuple(caseId, caseworker, caseworker)
    .map(([c, from, to]) => (at: string): CoordinationEvent => ({
      type: 'CaseworkerChanged',
      data: { caseId: c, fromCaseworkerId: from, toCaseworkerId: to, reason: 'x', changedAt: at },
    })),
  fc.tuple(caseId, caseworker).map(([c, caseworkerId]) => (at: string): CoordinationEvent => ({
    type: 'CitizenToldOfCaseworkerChange',
    data: { caseId: c, caseworkerId, channel: 'phone', toldAt: at },
  })),
  caseId.map((c) => (at: string): CoordinationEvent => ({
    type: 'CaseClosed',
    data: { caseId: c, reason: 'done', closedAt: at },
  })),
  fc
    .tuple(caseworker, fc.constantFrom('CHP', 'ADU'))
    .map(([caseworkerId, departmentId]) => (at: string): CoordinationEvent => ({
      type: 'CaseworkerRegistered',
      data: { caseworkerId, departmentId, registeredAt: at },
    })),
  caseworker.map((caseworkerId) => (at: string): CoordinationEvent => ({
    type: 'CaseworkerDeactivated',
    data: { caseworkerId, reason: 'leave', deactivatedAt: at },
  })),
  caseworker.map((caseworkerId) => (at: string): CoordinationEvent => ({
    type: 'CaseworkerReactivated',
    data: { caseworkerId, reactivatedAt: at },
  })),
);

describe('family coordination: the facts a batch holds in memory', () => {
  let fixture: ReadModelFixture;

  beforeAll(async () => {
    fixture = await openReadModelFixture();
  });
  afterAll(() => fixture.close());

  it('equal the facts the tables give once the batch is written', async () => {
    let openCasesSeen = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(untimedEvent, { minLength: 10, maxLength: 60, size: 'max' }),
        fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 8 }),
        async (untimed, cuts) => {
          const events = untimed.map((make, i) => ({
            id: id(5, i),
            event: make(new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString()),
          }));
          await fixture.dataSource.query(
            `TRUNCATE coordination_families, coordination_members, coordination_cases,
                      coordination_caseworkers, coordination_flags, coordination_consents`,
          );
          let from = 0;
          for (let i = 0; from < events.length; i++) {
            const batch = events.slice(from, from + (cuts[i % cuts.length] ?? 1));
            from += batch.length;
            await fixture.dataSource.transaction(async (m) => {
              const state = await loadState(
                m,
                batch.map((e) => e.event),
              );
              const touched = new Set<string>();
              for (const { id: eventId, event } of batch) {
                for (const familyId of foldEvent(state, eventId, event)) touched.add(familyId);
              }
              const familyIds = [...touched].sort();
              await runArrayWrites(m, stateWrites(state));
              const facts = await loadFamiliesFacts(m, familyIds);
              expect(batchFacts(state, familyIds)).toEqual(facts);
              for (const f of facts.values()) openCasesSeen += f.openCases.length;
            });
          }
        },
      ),
      { numRuns: 60 },
    );
    expect(openCasesSeen).toBeGreaterThan(100); // the runs did build families with open cases
  }, 120_000);
});
