import { requireActiveCaseworker } from '../caseworkers/caseworker.decider';
import { assertNever, type Decider } from '../shared/decider';
import { commandChecks } from '../shared/command-checks';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-error';
import type { FamilyCommand } from './family.commands';
import type { FamilyEvent, FamilyRole } from './family.events';

export interface FamilyState {
  readonly exists: boolean;
  readonly registeredAt: string | null;
  /** When the latest primary-contact step (assigned, handed over, released) happened. */
  readonly lastContactStepAt: string | null;
  readonly members: ReadonlyMap<string, FamilyRole>;
  /** When each person's latest membership step (added, removed) happened. */
  readonly memberStepAt: ReadonlyMap<string, string>;
  readonly primaryContact: string | null;
  /** The family has not been told of its current primary contact since it changed. */
  readonly untold: boolean;
  /** Departments whose case details the primary contact may see (consent or legal basis). */
  readonly sharedDepartments: ReadonlySet<string>;
}

export const FAMILY_ERRORS = {
  alreadyExists: 'FAMILY.ALREADY_EXISTS',
  notFound: 'FAMILY.NOT_FOUND',
  memberExists: 'FAMILY.MEMBER_EXISTS',
  notAMember: 'FAMILY.NOT_A_MEMBER',
  primaryContactTaken: 'FAMILY.PRIMARY_CONTACT_TAKEN',
  noPrimaryContact: 'FAMILY.NO_PRIMARY_CONTACT',
  samePrimaryContact: 'FAMILY.SAME_PRIMARY_CONTACT',
  nothingToTell: 'FAMILY.NOTHING_TO_TELL',
  toldInFuture: 'FAMILY.TOLD_IN_THE_FUTURE',
  toldBeforeStep: 'FAMILY.TOLD_BEFORE_STEP',
  referenceRequired: 'FAMILY.CONSENT_REFERENCE_REQUIRED',
  noConsent: 'FAMILY.NO_CONSENT',
  invalidTime: 'FAMILY.INVALID_TIME',
  inTheFuture: 'FAMILY.IN_THE_FUTURE',
  beforeRegistered: 'FAMILY.BEFORE_REGISTERED',
  beforePreviousStep: 'FAMILY.BEFORE_PREVIOUS_STEP',
  missingId: 'FAMILY.MISSING_ID',
} as const;

const { occurredAt } = commandChecks(FAMILY_ERRORS);

const CONTACT_STEPS: ReadonlySet<FamilyCommand['type']> = new Set([
  'AssignPrimaryContact',
  'HandOverPrimaryContact',
  'ReleasePrimaryContact',
]);

/**
 * No step of a family is dated before it was registered; the primary-contact steps also keep
 * their order (who was the family's contact when), so none is dated before the latest one.
 * Members and consents may be recorded late in any order: each stands on its own.
 */
function requireInOrder(command: FamilyCommand, state: FamilyState, at: string): void {
  if (state.registeredAt !== null && at < state.registeredAt) {
    throw new InvalidCommandError(
      FAMILY_ERRORS.beforeRegistered,
      'at is before the family was registered',
      { field: 'at', registeredAt: state.registeredAt },
    );
  }
  if (
    CONTACT_STEPS.has(command.type) &&
    state.lastContactStepAt !== null &&
    at < state.lastContactStepAt
  ) {
    throw new InvalidCommandError(
      FAMILY_ERRORS.beforePreviousStep,
      "at is before the family's latest primary-contact step",
      { field: 'at', lastStepAt: state.lastContactStepAt },
    );
  }
}

function requireFamily(command: { familyId: string }, state: FamilyState): void {
  if (!state.exists) {
    throw new NotFoundError(FAMILY_ERRORS.notFound, 'No family with this id', {
      familyId: command.familyId,
    });
  }
}

function requireHolder(state: FamilyState): string {
  if (state.primaryContact === null) {
    throw new ConflictError(FAMILY_ERRORS.noPrimaryContact, 'The family has no primary contact');
  }
  return state.primaryContact;
}

/**
 * The family stream owns "one primary contact per family": every assignment is decided on the
 * stream's current state and appended at the revision read, so of two concurrent assignments
 * one fails and, decided again, meets PRIMARY_CONTACT_TAKEN with the holder's id.
 */
/**
 * Whether a person was a member decides whose cases the family's coordination covers when, so a
 * person's joining or leaving may not be dated before their latest such step in this family.
 */
function requireMemberStepInOrder(state: FamilyState, personId: string, at: string): void {
  const last = state.memberStepAt.get(personId);
  if (last !== undefined && at < last) {
    throw new InvalidCommandError(
      FAMILY_ERRORS.beforePreviousStep,
      "at is before this member's latest step in the family",
      { field: 'at', lastStepAt: last },
    );
  }
}

export const familyDecider: Decider<FamilyCommand, FamilyEvent, FamilyState> = {
  initialState: {
    exists: false,
    registeredAt: null,
    lastContactStepAt: null,
    members: new Map(),
    memberStepAt: new Map(),
    primaryContact: null,
    untold: false,
    sharedDepartments: new Set(),
  },

  decide(command, state) {
    const at =
      command.type === 'RecordFamilyTold'
        ? command.now.toISOString()
        : occurredAt(command.at, command.now, 'at').toISOString();
    if (command.type !== 'RegisterFamily') requireInOrder(command, state, at);
    const familyId = command.familyId;
    if (command.type === 'RegisterFamily') {
      if (state.exists)
        throw new ConflictError(
          FAMILY_ERRORS.alreadyExists,
          'A family with this id exists already',
        );
      return [{ type: 'FamilyRegistered', data: { familyId, registeredAt: at } }];
    }
    requireFamily(command, state);
    if (command.type === 'AddFamilyMember' || command.type === 'RemoveFamilyMember') {
      requireMemberStepInOrder(state, command.personId, at);
    }
    switch (command.type) {
      case 'AddFamilyMember':
        if (state.members.has(command.personId)) {
          throw new ConflictError(
            FAMILY_ERRORS.memberExists,
            'The person is a member of this family already',
            {
              personId: command.personId,
            },
          );
        }
        return [
          {
            type: 'FamilyMemberAdded',
            data: { familyId, personId: command.personId, role: command.role, addedAt: at },
          },
        ];
      case 'RemoveFamilyMember':
        if (!state.members.has(command.personId)) {
          throw new NotFoundError(
            FAMILY_ERRORS.notAMember,
            'The person is not a member of this family',
            {
              personId: command.personId,
            },
          );
        }
        return [
          {
            type: 'FamilyMemberRemoved',
            data: { familyId, personId: command.personId, removedAt: at },
          },
        ];
      case 'AssignPrimaryContact': {
        const wanted = command.caseworker.caseworkerId;
        if (state.primaryContact === wanted) return [];
        if (state.primaryContact !== null) {
          throw new ConflictError(
            FAMILY_ERRORS.primaryContactTaken,
            'The family has a primary contact already; hand over instead',
            { primaryContact: state.primaryContact },
          );
        }
        requireActiveCaseworker(command.caseworker, at);
        return [
          {
            type: 'PrimaryContactAssigned',
            data: { familyId, caseworkerId: wanted, assignedAt: at },
          },
        ];
      }
      case 'HandOverPrimaryContact': {
        const holder = requireHolder(state);
        if (holder === command.to.caseworkerId) {
          throw new ConflictError(
            FAMILY_ERRORS.samePrimaryContact,
            'This caseworker is the primary contact already',
          );
        }
        requireActiveCaseworker(command.to, at);
        return [
          {
            type: 'PrimaryContactHandedOver',
            data: {
              familyId,
              fromCaseworkerId: holder,
              toCaseworkerId: command.to.caseworkerId,
              reason: command.reason,
              handedOverAt: at,
            },
          },
        ];
      }
      case 'ReleasePrimaryContact': {
        const holder = requireHolder(state);
        return [
          {
            type: 'PrimaryContactReleased',
            data: { familyId, caseworkerId: holder, reason: command.reason, releasedAt: at },
          },
        ];
      }
      case 'RecordFamilyTold': {
        const holder = requireHolder(state);
        const toldAt = command.toldAt.toISOString();
        if (!state.untold) {
          throw new ConflictError(
            FAMILY_ERRORS.nothingToTell,
            'The family has been told of its primary contact already',
          );
        }
        if (command.toldAt.getTime() > command.now.getTime()) {
          throw new InvalidCommandError(
            FAMILY_ERRORS.toldInFuture,
            'The family cannot have been told in the future',
          );
        }
        // Told of the latest assignment or handover: not before it happened.
        if (state.lastContactStepAt !== null && toldAt < state.lastContactStepAt) {
          throw new InvalidCommandError(
            FAMILY_ERRORS.toldBeforeStep,
            'The family cannot have been told before its primary contact changed',
            { field: 'toldAt', lastStepAt: state.lastContactStepAt },
          );
        }
        return [
          {
            type: 'FamilyToldOfPrimaryContact',
            data: {
              familyId,
              caseworkerId: holder,
              channel: command.channel,
              toldAt,
            },
          },
        ];
      }
      case 'GiveConsent': {
        if (command.basis === 'legal-basis' && !command.reference) {
          throw new InvalidCommandError(
            FAMILY_ERRORS.referenceRequired,
            'Sharing on a legal basis must name the provision relied on',
            { field: 'reference' },
          );
        }
        return [
          {
            type: 'FamilyConsentGiven',
            data: {
              familyId,
              departmentIds: [...new Set(command.departmentIds)].sort(),
              basis: command.basis,
              reference: command.reference,
              givenAt: at,
            },
          },
        ];
      }
      case 'WithdrawConsent': {
        const notShared = command.departmentIds.filter((id) => !state.sharedDepartments.has(id));
        if (notShared.length > 0) {
          throw new ConflictError(
            FAMILY_ERRORS.noConsent,
            'The family has not agreed to share these departments’ case details',
            { field: 'departmentIds', departmentIds: notShared },
          );
        }
        return [
          {
            type: 'FamilyConsentWithdrawn',
            data: {
              familyId,
              departmentIds: [...new Set(command.departmentIds)].sort(),
              withdrawnAt: at,
            },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'FamilyRegistered':
        return { ...state, exists: true, registeredAt: event.data.registeredAt };
      case 'FamilyMemberAdded':
        return {
          ...state,
          members: new Map(state.members).set(event.data.personId, event.data.role),
          memberStepAt: new Map(state.memberStepAt).set(event.data.personId, event.data.addedAt),
        };
      case 'FamilyMemberRemoved': {
        const members = new Map(state.members);
        members.delete(event.data.personId);
        return {
          ...state,
          members,
          memberStepAt: new Map(state.memberStepAt).set(event.data.personId, event.data.removedAt),
        };
      }
      case 'PrimaryContactAssigned':
        return {
          ...state,
          primaryContact: event.data.caseworkerId,
          untold: true,
          lastContactStepAt: event.data.assignedAt,
        };
      case 'PrimaryContactHandedOver':
        return {
          ...state,
          primaryContact: event.data.toCaseworkerId,
          untold: true,
          lastContactStepAt: event.data.handedOverAt,
        };
      case 'PrimaryContactReleased':
        return {
          ...state,
          primaryContact: null,
          untold: false,
          lastContactStepAt: event.data.releasedAt,
        };
      case 'FamilyToldOfPrimaryContact':
        return { ...state, untold: false };
      case 'FamilyConsentGiven':
        return {
          ...state,
          sharedDepartments: new Set([...state.sharedDepartments, ...event.data.departmentIds]),
        };
      case 'FamilyConsentWithdrawn': {
        const withdrawn = new Set(event.data.departmentIds);
        return {
          ...state,
          sharedDepartments: new Set(
            [...state.sharedDepartments].filter((id) => !withdrawn.has(id)),
          ),
        };
      }
      default:
        return assertNever(event);
    }
  },
};
