import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import {
  caseStream,
  caseworkerStream,
  familyDecider,
  familyStream,
  fold,
  foldFamilyFacts,
  type FamilyEvent,
  type IdentifiedEvent,
} from '@tovholder/domain';
import { comparePositions, parsePosition, type Position } from '@tovholder/event-store';
import { ProjectionRunner } from '@tovholder/read-models';
import { loadCaseworkerFacts } from '../apps/api/src/caseworkers/caseworker-facts';
import { loadFamilyFacts } from '../apps/api/src/coordination/family-facts.sql';
import { executeDecider } from '../apps/api/src/shared/command-execution';
import { checkedEvents } from '../apps/api/src/shared/aggregate-stream';
import { CASES } from '../apps/api/src/cases/case.commands';
import { CASEWORKERS as CASEWORKER_STREAMS } from '../apps/api/src/caseworkers/caseworker.commands';
import { FAMILIES as FAMILY_STREAMS } from '../apps/api/src/families/family.commands';
import {
  coordinationProjector,
  expectedFlags,
  expectRebuildEqualsLive,
  projectedFlags,
} from './support/coordination-checks';
import { openReadModelFixture, type ReadModelFixture } from './support/read-model-db';

const FAMILIES = 2;
const CASEWORKERS = 4;
const PERSONS = 4;

type Action =
  | { kind: 'assign' | 'handover'; family: number; caseworker: number }
  | { kind: 'release' | 'told'; family: number }
  | { kind: 'deactivate' | 'reactivate'; caseworker: number }
  | { kind: 'join'; family: number; person: number }
  | { kind: 'leave'; family: number; person: number }
  | { kind: 'open'; person: number; department: number }
  | { kind: 'staff' | 'change'; case: number; caseworker: number }
  | { kind: 'close'; case: number };

const family = fc.nat(FAMILIES - 1);
const caseworker = fc.nat(CASEWORKERS - 1);
const person = fc.nat(PERSONS - 1);
const caseIndex = fc.nat(5);
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constantFrom('assign' as const, 'handover' as const), family, caseworker }),
  fc.record({ kind: fc.constantFrom('release' as const, 'told' as const), family }),
  fc.record({ kind: fc.constantFrom('deactivate' as const, 'reactivate' as const), caseworker }),
  fc.record({ kind: fc.constantFrom('join' as const, 'leave' as const), family, person }),
  fc.record({ kind: fc.constant('open' as const), person, department: fc.nat(2) }),
  fc.record({
    kind: fc.constantFrom('staff' as const, 'change' as const),
    case: caseIndex,
    caseworker,
  }),
  fc.record({ kind: fc.constant('close' as const), case: caseIndex }),
);
/** Actions in groups; a group runs concurrently, like requests arriving at once. */
const scenario = fc.array(fc.array(action, { minLength: 1, maxLength: 4 }), {
  minLength: 3,
  maxLength: 10,
});

describe('coordination properties (random command sequences, real event store and read model)', () => {
  let fixture: ReadModelFixture;
  const projector = coordinationProjector();
  beforeAll(async () => {
    fixture = await openReadModelFixture();
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('never two primary contacts; the projection agrees with the events, and a rebuild with the live run', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (groups) => {
        const { store, dataSource } = fixture;
        const families = Array.from({ length: FAMILIES }, () => randomUUID());
        const caseworkers = Array.from({ length: CASEWORKERS }, () => randomUUID());
        const persons = Array.from({ length: PERSONS }, () => randomUUID());
        const cases: string[] = [];
        let time = Date.UTC(2026, 0, 5, 8);
        const now = (): Date => new Date((time += 3_600_000));
        const meta = { actor: 'property-test' };
        let lastWritten: Position | null = null;
        const noteWritten = (written: string | undefined): void => {
          const position = written ? parsePosition(written) : null;
          if (position && comparePositions(position, lastWritten) > 0) lastWritten = position;
        };
        for (const familyId of families) {
          const registered = await executeDecider(
            store,
            familyStream(familyId),
            FAMILY_STREAMS,
            { type: 'RegisterFamily', familyId, now: now() },
            meta,
          );
          noteWritten(registered.position);
        }
        for (const caseworkerId of caseworkers) {
          const registered = await executeDecider(
            store,
            caseworkerStream(caseworkerId),
            CASEWORKER_STREAMS,
            { type: 'RegisterCaseworker', caseworkerId, departmentId: 'CHP', now: now() },
            meta,
          );
          noteWritten(registered.position);
        }

        const run = async (a: Action): Promise<unknown> => {
          const at = now();
          switch (a.kind) {
            case 'assign':
            case 'handover': {
              const familyId = families[a.family]!;
              const facts = await loadCaseworkerFacts(store, caseworkers[a.caseworker]!);
              const command =
                a.kind === 'assign'
                  ? ({
                      type: 'AssignPrimaryContact',
                      familyId,
                      caseworker: facts,
                      now: at,
                    } as const)
                  : ({
                      type: 'HandOverPrimaryContact',
                      familyId,
                      to: facts,
                      reason: 'test',
                      now: at,
                    } as const);
              return executeDecider(store, familyStream(familyId), FAMILY_STREAMS, command, meta);
            }
            case 'release':
              return executeDecider(
                store,
                familyStream(families[a.family]!),
                FAMILY_STREAMS,
                {
                  type: 'ReleasePrimaryContact',
                  familyId: families[a.family]!,
                  reason: 'test',
                  now: at,
                },
                meta,
              );
            case 'told':
              return executeDecider(
                store,
                familyStream(families[a.family]!),
                FAMILY_STREAMS,
                {
                  type: 'RecordFamilyTold',
                  familyId: families[a.family]!,
                  channel: 'phone',
                  toldAt: at,
                  now: at,
                },
                meta,
              );
            case 'deactivate':
            case 'reactivate': {
              const caseworkerId = caseworkers[a.caseworker]!;
              const command =
                a.kind === 'deactivate'
                  ? ({
                      type: 'DeactivateCaseworker',
                      caseworkerId,
                      reason: 'test',
                      now: at,
                    } as const)
                  : ({ type: 'ReactivateCaseworker', caseworkerId, now: at } as const);
              return executeDecider(
                store,
                caseworkerStream(caseworkerId),
                CASEWORKER_STREAMS,
                command,
                meta,
              );
            }
            case 'join':
            case 'leave': {
              const familyId = families[a.family]!;
              const personId = persons[a.person]!;
              const command =
                a.kind === 'join'
                  ? ({
                      type: 'AddFamilyMember',
                      familyId,
                      personId,
                      role: 'child',
                      now: at,
                    } as const)
                  : ({ type: 'RemoveFamilyMember', familyId, personId, now: at } as const);
              return executeDecider(store, familyStream(familyId), FAMILY_STREAMS, command, meta);
            }
            case 'open': {
              const caseId = randomUUID();
              cases.push(caseId);
              return executeDecider(
                store,
                caseStream(caseId),
                CASES,
                {
                  type: 'OpenCase',
                  caseId,
                  personId: persons[a.person]!,
                  departmentId: ['CBU', 'CHP', 'UU'][a.department]!,
                  caseType: 't',
                  now: at,
                },
                meta,
              );
            }
            case 'staff':
            case 'change': {
              const caseId = cases[a.case % Math.max(cases.length, 1)];
              if (!caseId) return null;
              const facts = await loadCaseworkerFacts(store, caseworkers[a.caseworker]!);
              const command =
                a.kind === 'staff'
                  ? ({ type: 'AssignCaseworker', caseId, caseworker: facts, now: at } as const)
                  : ({
                      type: 'ChangeCaseworker',
                      caseId,
                      to: facts,
                      reason: 'test',
                      citizenTold: null,
                      now: at,
                    } as const);
              return executeDecider(store, caseStream(caseId), CASES, command, meta);
            }
            case 'close': {
              const caseId = cases[a.case % Math.max(cases.length, 1)];
              if (!caseId) return null;
              return executeDecider(
                store,
                caseStream(caseId),
                CASES,
                { type: 'CloseCase', caseId, reason: 'test', now: at },
                meta,
              );
            }
          }
        };
        for (const group of groups) {
          // Refusals (domain errors, lost races) are part of the game; invariants must hold regardless.
          for (const result of await Promise.allSettled(group.map(run))) {
            noteWritten(
              result.status === 'fulfilled'
                ? (result.value as { position?: string } | null)?.position
                : undefined,
            );
          }
        }

        const runner = new ProjectionRunner(dataSource, store, projector, { batchSize: 100 });
        // Other test files' transactions in the same PostgreSQL can hold back what is visible for a moment.
        do await runner.catchUp();
        while (lastWritten && comparePositions(runner.position, lastWritten) < 0);

        for (const familyId of families) {
          const stream = await store.readStream(familyStream(familyId));
          // 1. the events never hold two primary contacts at once
          let holder: string | null = null;
          for (const e of stream.map((r) => r as unknown as FamilyEvent)) {
            if (e.type === 'PrimaryContactAssigned') {
              expect(holder).toBeNull();
              holder = e.data.caseworkerId;
            } else if (e.type === 'PrimaryContactHandedOver') {
              expect(holder).toBe(e.data.fromCaseworkerId);
              holder = e.data.toCaseworkerId;
            } else if (e.type === 'PrimaryContactReleased') {
              expect(holder).toBe(e.data.caseworkerId);
              holder = null;
            }
          }
          const state = fold(familyDecider, checkedEvents(stream, FAMILY_STREAMS.reading));
          expect(state.primaryContact).toBe(holder);
          // 2. the read model shows exactly that holder
          const rows = await dataSource.query<
            {
              primary_contact_id: string | null;
            }[]
          >('SELECT primary_contact_id FROM coordination_families WHERE family_id = $1', [
            familyId,
          ]);
          expect(rows).toHaveLength(1);
          expect(rows[0]?.primary_contact_id).toBe(holder);
          // 3. the projection's facts equal a fold of the events (what the as-of history uses)
          const related = [
            ...stream,
            ...(
              await Promise.all(
                [...cases.map(caseStream), ...caseworkers.map(caseworkerStream)].map((s) =>
                  store.readStream(s),
                ),
              )
            ).flat(),
          ].sort((a, b) => comparePositions(a.position, b.position));
          const folded = foldFamilyFacts(
            familyId,
            related.map(
              (r) => ({ id: r.id, type: r.type, data: r.data }) as unknown as IdentifiedEvent,
            ),
          );
          const projected = await loadFamilyFacts(dataSource.manager, familyId);
          expect(projected).toEqual(folded.facts);
          expect(await projectedFlags(fixture, familyId)).toEqual(expectedFlags(folded.facts));
        }

        // 4. a rebuild from the log gives the same rows as the live projection
        await expectRebuildEqualsLive(fixture, projector);
      }),
      { numRuns: 12 },
    );
  }, 300_000);
});
