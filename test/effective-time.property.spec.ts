import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import {
  caseStream,
  caseworkerStream,
  effectiveTimeOf,
  familyStream,
  foldFamilyFacts,
  isCoordinationEvent,
  type CaseCommand,
  type CaseworkerCommand,
  type FamilyCommand,
} from '@tovholder/domain';
import { comparePositions, parsePosition, type Position } from '@tovholder/event-store';
import { loadCaseworkerFacts } from '../apps/api/src/caseworkers/caseworker-facts';
import { loadFamilyFacts } from '../apps/api/src/coordination/family-facts.sql';
import { checkedEvents } from '../apps/api/src/shared/aggregate-stream';
import { executeDecider } from '../apps/api/src/shared/command-execution';
import { CASES } from '../apps/api/src/cases/case.commands';
import { CASEWORKERS as CASEWORKER_STREAMS } from '../apps/api/src/caseworkers/caseworker.commands';
import { FAMILIES as FAMILY_STREAMS } from '../apps/api/src/families/family.commands';
import {
  coordinationProjector,
  expectedFlags,
  expectRebuildEqualsLive,
  projectedFlags,
} from './support/coordination-checks';
import { openReadModelFixture, projectUpTo, type ReadModelFixture } from './support/read-model-db';

/**
 * Effective time (issue 12): every step says when it happened (`at`), which may be long before
 * it was recorded. Random steps with random effective times, many of them recorded late, must
 * leave the coordination read model (facts and flags, `since` included) equal to a fold of the
 * events in the order they happened, and equal to a rebuild from the log. Refusals (a step dated
 * before its stream's latest one, a step on a closed case ...) are part of the game.
 *
 * EFFECTIVE_TIME_PROPERTY_RUNS sets the number of runs (default 6; e.g. 200 for a longer look).
 */
const RUNS = Number(process.env.EFFECTIVE_TIME_PROPERTY_RUNS ?? 6);
const FAMILIES = 2;
const CASEWORKERS = 3;
const PERSONS = 3;
const DAY = 86_400_000;

type Step =
  | { kind: 'join' | 'leave'; family: number; person: number }
  | { kind: 'assign' | 'handover'; family: number; caseworker: number }
  | { kind: 'release' | 'told'; family: number }
  | { kind: 'deactivate' | 'reactivate'; caseworker: number }
  | { kind: 'open'; person: number }
  | { kind: 'staff' | 'change'; case: number; caseworker: number }
  | { kind: 'close'; case: number };

/** A step and how many days before its recording it happened (0: recorded as it happened). */
interface Recorded {
  readonly step: Step;
  readonly daysLate: number;
}

const family = fc.nat(FAMILIES - 1);
const caseworker = fc.nat(CASEWORKERS - 1);
const person = fc.nat(PERSONS - 1);
const caseIndex = fc.nat(4);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constantFrom('join' as const, 'leave' as const), family, person }),
  fc.record({ kind: fc.constantFrom('assign' as const, 'handover' as const), family, caseworker }),
  fc.record({ kind: fc.constantFrom('release' as const, 'told' as const), family }),
  fc.record({ kind: fc.constantFrom('deactivate' as const, 'reactivate' as const), caseworker }),
  fc.record({ kind: fc.constant('open' as const), person }),
  fc.record({
    kind: fc.constantFrom('staff' as const, 'change' as const),
    case: caseIndex,
    caseworker,
  }),
  fc.record({ kind: fc.constant('close' as const), case: caseIndex }),
);
const recorded: fc.Arbitrary<Recorded> = fc.record({
  step,
  // Half recorded as they happen, half late by up to three weeks.
  daysLate: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 21 })),
});
const scenario = fc.array(recorded, { minLength: 4, maxLength: 18 });

describe('effective time (random steps, many recorded late; real event store and read model)', () => {
  let fixture: ReadModelFixture;
  const projector = coordinationProjector();
  beforeAll(async () => {
    fixture = await openReadModelFixture();
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('the read model equals a fold of the events in effective-time order, and a rebuild', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (steps) => {
        const { store, dataSource } = fixture;
        const families = Array.from({ length: FAMILIES }, () => randomUUID());
        const caseworkers = Array.from({ length: CASEWORKERS }, () => randomUUID());
        const persons = Array.from({ length: PERSONS }, () => randomUUID());
        const cases: string[] = [];
        const meta = { actor: 'property-test' };
        // The recording clock moves a day per step; everything was set up 60 days before it.
        let recordedAt = Date.UTC(2026, 2, 2, 9);
        const setUpAt = new Date(recordedAt - 60 * DAY);
        let lastWritten: Position | undefined;
        const noteWritten = (position: string | undefined): void => {
          const parsed = position === undefined ? null : parsePosition(position);
          if (parsed === null) return;
          if (lastWritten === undefined || comparePositions(parsed, lastWritten) > 0) {
            lastWritten = parsed;
          }
        };
        const onFamily = (familyId: string, command: FamilyCommand) =>
          executeDecider(store, familyStream(familyId), FAMILY_STREAMS, command, meta);
        const onCase = (caseId: string, command: CaseCommand) =>
          executeDecider(store, caseStream(caseId), CASES, command, meta);
        const onCaseworker = (caseworkerId: string, command: CaseworkerCommand) =>
          executeDecider(store, caseworkerStream(caseworkerId), CASEWORKER_STREAMS, command, meta);

        const now = new Date(recordedAt);
        for (const familyId of families) {
          noteWritten(
            (await onFamily(familyId, { type: 'RegisterFamily', familyId, at: setUpAt, now }))
              .position,
          );
        }
        for (const caseworkerId of caseworkers) {
          const registered = await onCaseworker(caseworkerId, {
            type: 'RegisterCaseworker',
            caseworkerId,
            departmentId: 'CHP',
            at: setUpAt,
            now,
          });
          noteWritten(registered.position);
        }

        const run = async ({ step: s, daysLate }: Recorded) => {
          const now = new Date((recordedAt += DAY));
          const at = new Date(now.getTime() - daysLate * DAY);
          const caseOf = (index: number) => cases[index % Math.max(cases.length, 1)];
          switch (s.kind) {
            case 'join':
            case 'leave': {
              const familyId = families[s.family]!;
              const personId = persons[s.person]!;
              return onFamily(
                familyId,
                s.kind === 'join'
                  ? { type: 'AddFamilyMember', familyId, personId, role: 'child', at, now }
                  : { type: 'RemoveFamilyMember', familyId, personId, at, now },
              );
            }
            case 'assign':
            case 'handover': {
              const familyId = families[s.family]!;
              const facts = await loadCaseworkerFacts(store, caseworkers[s.caseworker]!);
              return onFamily(
                familyId,
                s.kind === 'assign'
                  ? { type: 'AssignPrimaryContact', familyId, caseworker: facts, at, now }
                  : { type: 'HandOverPrimaryContact', familyId, to: facts, reason: 'r', at, now },
              );
            }
            case 'release':
              return onFamily(families[s.family]!, {
                type: 'ReleasePrimaryContact',
                familyId: families[s.family]!,
                reason: 'r',
                at,
                now,
              });
            case 'told':
              return onFamily(families[s.family]!, {
                type: 'RecordFamilyTold',
                familyId: families[s.family]!,
                channel: 'phone',
                toldAt: at,
                now,
              });
            case 'deactivate':
            case 'reactivate': {
              const caseworkerId = caseworkers[s.caseworker]!;
              return onCaseworker(
                caseworkerId,
                s.kind === 'deactivate'
                  ? { type: 'DeactivateCaseworker', caseworkerId, reason: 'r', at, now }
                  : { type: 'ReactivateCaseworker', caseworkerId, at, now },
              );
            }
            case 'open': {
              const caseId = randomUUID();
              cases.push(caseId);
              return onCase(caseId, {
                type: 'OpenCase',
                caseId,
                personId: persons[s.person]!,
                departmentId: 'CBU',
                caseType: 't',
                at,
                now,
              });
            }
            case 'staff':
            case 'change': {
              const caseId = caseOf(s.case);
              if (caseId === undefined) return null;
              const facts = await loadCaseworkerFacts(store, caseworkers[s.caseworker]!);
              return onCase(
                caseId,
                s.kind === 'staff'
                  ? { type: 'AssignCaseworker', caseId, caseworker: facts, at, now }
                  : {
                      type: 'ChangeCaseworker',
                      caseId,
                      to: facts,
                      reason: 'r',
                      citizenTold: null,
                      at,
                      now,
                    },
              );
            }
            case 'close': {
              const caseId = caseOf(s.case);
              if (caseId === undefined) return null;
              return onCase(caseId, { type: 'CloseCase', caseId, reason: 'r', at, now });
            }
          }
        };
        for (const each of steps) {
          const outcome = await run(each).catch(() => null); // a refusal writes nothing
          noteWritten(outcome?.position);
        }

        await projectUpTo(fixture, projector, lastWritten);

        const related = (
          await Promise.all(
            [
              ...families.map(familyStream),
              ...cases.map(caseStream),
              ...caseworkers.map(caseworkerStream),
            ].map((stream) => store.readStream(stream)),
          )
        ).flat();
        // The events in the order they happened in the world; the log's order breaks ties.
        const happened = checkedEvents(related, { isEvent: isCoordinationEvent }).sort(
          (a, b) =>
            effectiveTimeOf(a).localeCompare(effectiveTimeOf(b)) ||
            comparePositions(a.recorded.position, b.recorded.position),
        );
        for (const familyId of families) {
          const folded = foldFamilyFacts(familyId, happened);
          expect(await loadFamilyFacts(dataSource.manager, familyId)).toEqual(folded.facts);
          expect(await projectedFlags(fixture, familyId)).toEqual(expectedFlags(folded.facts));
        }

        // A rebuild from the log gives the same rows as the live projection.
        await expectRebuildEqualsLive(fixture, projector);
      }),
      { numRuns: RUNS },
    );
  }, 300_000);
});
