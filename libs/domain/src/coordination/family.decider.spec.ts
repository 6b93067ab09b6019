import {
  activeCaseworker,
  deactivatedCaseworker,
  unknownCaseworker,
} from '../caseworkers/caseworker-facts.fixtures';
import { specFor } from '../shared/given-when-then';
import { FAMILY_ERRORS, familyDecider } from './family.decider';
import type { FamilyEvent } from './family.events';

const now = new Date('2026-03-02T09:00:00.000Z');
const at = now.toISOString();
const familyId = 'f-1';
const registered: FamilyEvent = {
  type: 'FamilyRegistered',
  data: { familyId, registeredAt: '2026-01-01T08:00:00.000Z' },
};
const anna = activeCaseworker('cw-anna');
const bo = activeCaseworker('cw-bo');
const assignedAnna: FamilyEvent = {
  type: 'PrimaryContactAssigned',
  data: { familyId, caseworkerId: anna.caseworkerId, assignedAt: '2026-02-01T08:00:00.000Z' },
};
const spec = specFor(familyDecider);

describe('family decider: one primary contact per family', () => {
  it('registers a family once', () => {
    spec
      .given([])
      .when({ type: 'RegisterFamily', familyId, now })
      .then([{ type: 'FamilyRegistered', data: { familyId, registeredAt: at } }]);
    spec
      .given([registered])
      .when({ type: 'RegisterFamily', familyId, now })
      .thenThrows(FAMILY_ERRORS.alreadyExists);
  });

  it('refuses commands on a family that does not exist', () => {
    spec
      .given([])
      .when({ type: 'AssignPrimaryContact', familyId, caseworker: anna, now })
      .thenThrows(FAMILY_ERRORS.notFound);
  });

  it('adds and removes members, each person once', () => {
    const added: FamilyEvent = {
      type: 'FamilyMemberAdded',
      data: { familyId, personId: 'p-1', role: 'child', addedAt: at },
    };
    spec
      .given([registered])
      .when({ type: 'AddFamilyMember', familyId, personId: 'p-1', role: 'child', now })
      .then([added]);
    spec
      .given([registered, added])
      .when({ type: 'AddFamilyMember', familyId, personId: 'p-1', role: 'parent', now })
      .thenThrows(FAMILY_ERRORS.memberExists);
    spec
      .given([registered, added])
      .when({ type: 'RemoveFamilyMember', familyId, personId: 'p-1', now })
      .then([{ type: 'FamilyMemberRemoved', data: { familyId, personId: 'p-1', removedAt: at } }]);
    spec
      .given([registered])
      .when({ type: 'RemoveFamilyMember', familyId, personId: 'p-1', now })
      .thenThrows(FAMILY_ERRORS.notAMember);
  });

  it('assigns a primary contact when there is none', () => {
    spec
      .given([registered])
      .when({ type: 'AssignPrimaryContact', familyId, caseworker: anna, now })
      .then([
        {
          type: 'PrimaryContactAssigned',
          data: { familyId, caseworkerId: 'cw-anna', assignedAt: at },
        },
      ]);
  });

  it('never assigns a second primary contact: the holder is named', () => {
    spec
      .given([registered, assignedAnna])
      .when({ type: 'AssignPrimaryContact', familyId, caseworker: bo, now })
      .thenThrows(FAMILY_ERRORS.primaryContactTaken);
    expect(() =>
      familyDecider.decide(
        { type: 'AssignPrimaryContact', familyId, caseworker: bo, now },
        [registered, assignedAnna].reduce(familyDecider.evolve, familyDecider.initialState),
      ),
    ).toThrow(expect.objectContaining({ details: { primaryContact: 'cw-anna' } }) as Error);
  });

  it('assigning the holder again records nothing (a harmless retry)', () => {
    spec
      .given([registered, assignedAnna])
      .when({ type: 'AssignPrimaryContact', familyId, caseworker: anna, now })
      .then([]);
  });

  it('refuses an inactive or unknown caseworker', () => {
    spec
      .given([registered])
      .when({
        type: 'AssignPrimaryContact',
        familyId,
        caseworker: deactivatedCaseworker('x'),
        now,
      })
      .thenThrows('CASEWORKER.INACTIVE');
    spec
      .given([registered])
      .when({
        type: 'AssignPrimaryContact',
        familyId,
        caseworker: unknownCaseworker('x'),
        now,
      })
      .thenThrows('CASEWORKER.NOT_FOUND');
  });

  it('hands over explicitly, with a reason, to another active caseworker', () => {
    spec
      .given([registered, assignedAnna])
      .when({ type: 'HandOverPrimaryContact', familyId, to: bo, reason: 'Anna moves team', now })
      .then([
        {
          type: 'PrimaryContactHandedOver',
          data: {
            familyId,
            fromCaseworkerId: 'cw-anna',
            toCaseworkerId: 'cw-bo',
            reason: 'Anna moves team',
            handedOverAt: at,
          },
        },
      ]);
    spec
      .given([registered])
      .when({ type: 'HandOverPrimaryContact', familyId, to: bo, reason: 'x', now })
      .thenThrows(FAMILY_ERRORS.noPrimaryContact);
    spec
      .given([registered, assignedAnna])
      .when({ type: 'HandOverPrimaryContact', familyId, to: anna, reason: 'x', now })
      .thenThrows(FAMILY_ERRORS.samePrimaryContact);
  });

  it('releases the primary contact, after which another can be assigned', () => {
    const released: FamilyEvent = {
      type: 'PrimaryContactReleased',
      data: { familyId, caseworkerId: 'cw-anna', reason: 'cases closed', releasedAt: at },
    };
    spec
      .given([registered, assignedAnna])
      .when({ type: 'ReleasePrimaryContact', familyId, reason: 'cases closed', now })
      .then([released]);
    spec
      .given([registered, assignedAnna, released])
      .when({ type: 'AssignPrimaryContact', familyId, caseworker: bo, now })
      .then([
        {
          type: 'PrimaryContactAssigned',
          data: { familyId, caseworkerId: 'cw-bo', assignedAt: at },
        },
      ]);
    spec
      .given([registered])
      .when({ type: 'ReleasePrimaryContact', familyId, reason: 'x', now })
      .thenThrows(FAMILY_ERRORS.noPrimaryContact);
  });

  it('records that the family was told, once, and not in the future', () => {
    const toldAt = new Date('2026-03-01T10:00:00.000Z');
    spec
      .given([registered, assignedAnna])
      .when({ type: 'RecordFamilyTold', familyId, channel: 'phone', toldAt, now })
      .then([
        {
          type: 'FamilyToldOfPrimaryContact',
          data: {
            familyId,
            caseworkerId: 'cw-anna',
            channel: 'phone',
            toldAt: toldAt.toISOString(),
          },
        },
      ]);
    const told: FamilyEvent = {
      type: 'FamilyToldOfPrimaryContact',
      data: { familyId, caseworkerId: 'cw-anna', channel: 'phone', toldAt: at },
    };
    spec
      .given([registered, assignedAnna, told])
      .when({ type: 'RecordFamilyTold', familyId, channel: 'phone', toldAt, now })
      .thenThrows(FAMILY_ERRORS.nothingToTell);
    spec
      .given([registered, assignedAnna])
      .when({
        type: 'RecordFamilyTold',
        familyId,
        channel: 'phone',
        toldAt: new Date('2026-04-01T00:00:00.000Z'),
        now,
      })
      .thenThrows(FAMILY_ERRORS.toldInFuture);
  });

  it('refuses telling the family before the assignment or handover it tells of', () => {
    spec
      .given([registered, assignedAnna])
      .when({
        type: 'RecordFamilyTold',
        familyId,
        channel: 'phone',
        toldAt: new Date('2026-01-31T08:00:00.000Z'),
        now,
      })
      .thenThrows(FAMILY_ERRORS.toldBeforeStep);
  });
});

describe('family decider: sharing between departments', () => {
  const consentGiven: FamilyEvent = {
    type: 'FamilyConsentGiven',
    data: {
      familyId,
      departmentIds: ['CHP', 'JOBCENTER'],
      basis: 'consent',
      reference: null,
      givenAt: '2026-02-01T08:00:00.000Z',
    },
  };

  it('records consent for a set of departments, each once and in order', () => {
    spec
      .given([registered])
      .when({
        type: 'GiveConsent',
        familyId,
        departmentIds: ['JOBCENTER', 'CHP', 'JOBCENTER'],
        basis: 'consent',
        reference: null,
        now,
      })
      .then([
        {
          type: 'FamilyConsentGiven',
          data: {
            familyId,
            departmentIds: ['CHP', 'JOBCENTER'],
            basis: 'consent',
            reference: null,
            givenAt: at,
          },
        },
      ]);
  });

  it('needs the provision relied on when sharing rests on a legal basis', () => {
    spec
      .given([registered])
      .when({
        type: 'GiveConsent',
        familyId,
        departmentIds: ['CHP'],
        basis: 'legal-basis',
        reference: null,
        now,
      })
      .thenThrows(FAMILY_ERRORS.referenceRequired);
  });

  it('withdraws consent only for departments it covers', () => {
    spec
      .given([registered, consentGiven])
      .when({ type: 'WithdrawConsent', familyId, departmentIds: ['CHP'], now })
      .then([
        {
          type: 'FamilyConsentWithdrawn',
          data: { familyId, departmentIds: ['CHP'], withdrawnAt: at },
        },
      ]);
    const withdrawn: FamilyEvent = {
      type: 'FamilyConsentWithdrawn',
      data: { familyId, departmentIds: ['CHP'], withdrawnAt: at },
    };
    spec
      .given([registered, consentGiven, withdrawn])
      .when({ type: 'WithdrawConsent', familyId, departmentIds: ['CHP', 'JOBCENTER'], now })
      .thenThrows(FAMILY_ERRORS.noConsent);
    spec
      .given([registered])
      .when({ type: 'WithdrawConsent', familyId, departmentIds: ['CHP'], now })
      .thenThrows(FAMILY_ERRORS.noConsent);
  });

  describe('effective time: `at` says when a step happened', () => {
    it('dates the event with `at`', () => {
      const lastWeek = new Date('2026-02-23T09:00:00.000Z');
      spec
        .given([registered])
        .when({ type: 'AssignPrimaryContact', familyId, caseworker: anna, at: lastWeek, now })
        .then([
          {
            type: 'PrimaryContactAssigned',
            data: { familyId, caseworkerId: anna.caseworkerId, assignedAt: lastWeek.toISOString() },
          },
        ]);
    });

    it('refuses a step in the future, and any step before the family was registered', () => {
      spec
        .given([])
        .when({ type: 'RegisterFamily', familyId, at: new Date(now.getTime() + 1), now })
        .thenThrows(FAMILY_ERRORS.inTheFuture);
      const beforeRegistration = new Date('2025-12-31T08:00:00.000Z');
      spec
        .given([registered])
        .when({
          type: 'AssignPrimaryContact',
          familyId,
          caseworker: anna,
          at: beforeRegistration,
          now,
        })
        .thenThrows(FAMILY_ERRORS.beforeRegistered);
      spec
        .given([registered])
        .when({
          type: 'AddFamilyMember',
          familyId,
          personId: 'p',
          role: 'child',
          at: beforeRegistration,
          now,
        })
        .thenThrows(FAMILY_ERRORS.beforeRegistered);
    });

    it("keeps the order of one member's steps: none dated before their latest", () => {
      const joined: FamilyEvent = {
        type: 'FamilyMemberAdded',
        data: { familyId, personId: 'p', role: 'child', addedAt: '2026-02-10T08:00:00.000Z' },
      };
      const left: FamilyEvent = {
        type: 'FamilyMemberRemoved',
        data: { familyId, personId: 'p', removedAt: '2026-02-20T08:00:00.000Z' },
      };
      // A leaving recorded late but dated before the joining would leave them in, in the end.
      spec
        .given([registered, joined])
        .when({
          type: 'RemoveFamilyMember',
          familyId,
          personId: 'p',
          at: new Date('2026-02-05T08:00:00.000Z'),
          now,
        })
        .thenThrows(FAMILY_ERRORS.beforePreviousStep);
      spec
        .given([registered, joined, left])
        .when({
          type: 'AddFamilyMember',
          familyId,
          personId: 'p',
          role: 'child',
          at: new Date('2026-02-15T08:00:00.000Z'),
          now,
        })
        .thenThrows(FAMILY_ERRORS.beforePreviousStep);
      // Another person's steps are theirs: recorded late in any order.
      spec
        .given([registered, joined, left])
        .when({
          type: 'AddFamilyMember',
          familyId,
          personId: 'q',
          role: 'parent',
          at: new Date('2026-02-15T08:00:00.000Z'),
          now,
        })
        .then([
          {
            type: 'FamilyMemberAdded',
            data: {
              familyId,
              personId: 'q',
              role: 'parent',
              addedAt: '2026-02-15T08:00:00.000Z',
            },
          },
        ]);
    });

    it('keeps the order of the primary-contact steps, but takes a member added late', () => {
      const beforeAssignment = new Date('2026-01-15T08:00:00.000Z');
      spec
        .given([registered, assignedAnna])
        .when({
          type: 'HandOverPrimaryContact',
          familyId,
          to: bo,
          reason: 'r',
          at: beforeAssignment,
          now,
        })
        .thenThrows(FAMILY_ERRORS.beforePreviousStep);
      spec
        .given([registered, assignedAnna])
        .when({
          type: 'AddFamilyMember',
          familyId,
          personId: 'p',
          role: 'child',
          at: beforeAssignment,
          now,
        })
        .then([
          {
            type: 'FamilyMemberAdded',
            data: {
              familyId,
              personId: 'p',
              role: 'child',
              addedAt: beforeAssignment.toISOString(),
            },
          },
        ]);
    });
  });
});
