import { isCaseEvent, type CaseEvent } from '../cases/case.events';
import { isCaseworkerEvent, type CaseworkerEvent } from '../caseworkers/caseworker.events';
import type { UncheckedEvent } from '../shared/event-types';
import { assertNever } from '../shared/decider';
import type { CaseFacts, Fact, FamilyFacts, PrimaryContactFacts } from './coordination-flags';
import { isFamilyEvent, type FamilyEvent, type FamilyRole } from './family.events';

export type CoordinationEvent = FamilyEvent | CaseEvent | CaseworkerEvent;
export type IdentifiedEvent = CoordinationEvent & { readonly id: string };

/** The events the coordination view folds: a family's, its cases' and its caseworkers'. */
export const isCoordinationEvent = (event: UncheckedEvent): event is CoordinationEvent =>
  isFamilyEvent(event) || isCaseEvent(event) || isCaseworkerEvent(event);

interface Member {
  readonly role: FamilyRole;
  readonly added: Fact;
}

type OpenCase = Omit<CaseFacts, 'memberAdded'>;

export interface FamilyView {
  readonly members: ReadonlyMap<string, Member>;
  readonly facts: FamilyFacts;
}

/**
 * Folds the events of one family, its members' cases and the caseworkers involved (in global
 * order) into the facts the flags are computed from. The as-of history feeds it the events up to
 * a time; the property tests check it against the live projection.
 */
export function foldFamilyFacts(familyId: string, events: readonly IdentifiedEvent[]): FamilyView {
  const members = new Map<string, Member>();
  const cases = new Map<string, OpenCase>();
  const inactive = new Map<string, Fact>();
  let contact = null as Omit<PrimaryContactFacts, 'inactive'> | null;
  let released = null as Fact | null;

  for (const event of events) {
    const fact = (at: string): Fact => ({ at, eventId: event.id });
    switch (event.type) {
      case 'FamilyRegistered':
        break;
      case 'FamilyMemberAdded':
        if (event.data.familyId === familyId) {
          members.set(event.data.personId, {
            role: event.data.role,
            added: fact(event.data.addedAt),
          });
        }
        break;
      case 'FamilyMemberRemoved':
        if (event.data.familyId === familyId) members.delete(event.data.personId);
        break;
      case 'PrimaryContactAssigned':
        if (event.data.familyId === familyId) {
          contact = {
            caseworkerId: event.data.caseworkerId,
            assigned: fact(event.data.assignedAt),
            untoldHandover: null,
          };
          released = null;
        }
        break;
      case 'PrimaryContactHandedOver':
        if (event.data.familyId === familyId) {
          const handedOver = fact(event.data.handedOverAt);
          contact = {
            caseworkerId: event.data.toCaseworkerId,
            assigned: handedOver,
            untoldHandover: handedOver,
          };
        }
        break;
      case 'PrimaryContactReleased':
        if (event.data.familyId === familyId) {
          contact = null;
          released = fact(event.data.releasedAt);
        }
        break;
      case 'FamilyToldOfPrimaryContact':
        if (event.data.familyId === familyId && contact)
          contact = { ...contact, untoldHandover: null };
        break;
      case 'CaseOpened':
        cases.set(event.data.caseId, {
          caseId: event.data.caseId,
          personId: event.data.personId,
          departmentId: event.data.departmentId,
          caseType: event.data.caseType,
          opened: fact(event.data.openedAt),
          caseworkerId: null,
          caseworkerAssigned: null,
          untoldChange: null,
        });
        break;
      case 'CaseworkerAssigned': {
        const open = cases.get(event.data.caseId);
        if (open) {
          cases.set(open.caseId, {
            ...open,
            caseworkerId: event.data.caseworkerId,
            caseworkerAssigned: fact(event.data.assignedAt),
          });
        }
        break;
      }
      case 'CaseworkerChanged': {
        const open = cases.get(event.data.caseId);
        if (open) {
          const changed = fact(event.data.changedAt);
          cases.set(open.caseId, {
            ...open,
            caseworkerId: event.data.toCaseworkerId,
            caseworkerAssigned: changed,
            untoldChange: changed,
          });
        }
        break;
      }
      case 'CitizenToldOfCaseworkerChange': {
        const open = cases.get(event.data.caseId);
        if (open) cases.set(open.caseId, { ...open, untoldChange: null });
        break;
      }
      case 'CaseClosed':
        cases.delete(event.data.caseId);
        break;
      case 'CaseworkerRegistered':
        break;
      case 'CaseworkerDeactivated':
        inactive.set(event.data.caseworkerId, fact(event.data.deactivatedAt));
        break;
      case 'CaseworkerReactivated':
        inactive.delete(event.data.caseworkerId);
        break;
      case 'FamilyConsentGiven':
      case 'FamilyConsentWithdrawn':
        break; // who may see what; no coordination flag depends on it
      default:
        assertNever(event);
    }
  }

  const openCases: CaseFacts[] = [];
  for (const open of cases.values()) {
    const member = members.get(open.personId);
    if (member) openCases.push({ ...open, memberAdded: member.added });
  }
  openCases.sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
  const current = contact;
  return {
    members,
    facts: {
      familyId,
      openCases,
      primaryContact: current
        ? { ...current, inactive: inactive.get(current.caseworkerId) ?? null }
        : null,
      released: current ? null : released,
    },
  };
}

/**
 * When a coordination event happened in the world (its own date field), as opposed to when it
 * was recorded: the as-of history and out-of-order projections order by this.
 */
export function effectiveTimeOf(event: CoordinationEvent): string {
  switch (event.type) {
    case 'FamilyRegistered':
    case 'CaseworkerRegistered':
      return event.data.registeredAt;
    case 'FamilyMemberAdded':
      return event.data.addedAt;
    case 'FamilyMemberRemoved':
      return event.data.removedAt;
    case 'PrimaryContactAssigned':
    case 'CaseworkerAssigned':
      return event.data.assignedAt;
    case 'PrimaryContactHandedOver':
      return event.data.handedOverAt;
    case 'PrimaryContactReleased':
      return event.data.releasedAt;
    case 'FamilyToldOfPrimaryContact':
    case 'CitizenToldOfCaseworkerChange':
      return event.data.toldAt;
    case 'FamilyConsentGiven':
      return event.data.givenAt;
    case 'FamilyConsentWithdrawn':
      return event.data.withdrawnAt;
    case 'CaseOpened':
      return event.data.openedAt;
    case 'CaseworkerChanged':
      return event.data.changedAt;
    case 'CaseClosed':
      return event.data.closedAt;
    case 'CaseworkerDeactivated':
      return event.data.deactivatedAt;
    case 'CaseworkerReactivated':
      return event.data.reactivatedAt;
    default:
      return assertNever(event);
  }
}
