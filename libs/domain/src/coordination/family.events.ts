import { eventUnion } from '../shared/event-types';
import type { ContactChannel } from '../cases/case.events';

export const familyStream = (familyId: string): string => `family-${familyId}`;

export const FAMILY_ROLES = ['child', 'young-person', 'parent', 'guardian', 'adult'] as const;
export type FamilyRole = (typeof FAMILY_ROLES)[number];

export interface FamilyRegistered {
  readonly type: 'FamilyRegistered';
  readonly data: { readonly familyId: string; readonly registeredAt: string };
}

export interface FamilyMemberAdded {
  readonly type: 'FamilyMemberAdded';
  readonly data: {
    readonly familyId: string;
    readonly personId: string;
    readonly role: FamilyRole;
    readonly addedAt: string;
  };
}

export interface FamilyMemberRemoved {
  readonly type: 'FamilyMemberRemoved';
  readonly data: {
    readonly familyId: string;
    readonly personId: string;
    readonly removedAt: string;
  };
}

export interface PrimaryContactAssigned {
  readonly type: 'PrimaryContactAssigned';
  readonly data: {
    readonly familyId: string;
    readonly caseworkerId: string;
    readonly assignedAt: string;
  };
}

/** An explicit handover: the family is to be told (FamilyToldOfPrimaryContact). */
export interface PrimaryContactHandedOver {
  readonly type: 'PrimaryContactHandedOver';
  readonly data: {
    readonly familyId: string;
    readonly fromCaseworkerId: string;
    readonly toCaseworkerId: string;
    readonly reason: string;
    readonly handedOverAt: string;
  };
}

export interface PrimaryContactReleased {
  readonly type: 'PrimaryContactReleased';
  readonly data: {
    readonly familyId: string;
    readonly caseworkerId: string;
    readonly reason: string;
    readonly releasedAt: string;
  };
}

export interface FamilyToldOfPrimaryContact {
  readonly type: 'FamilyToldOfPrimaryContact';
  readonly data: {
    readonly familyId: string;
    readonly caseworkerId: string;
    readonly channel: ContactChannel;
    readonly toldAt: string;
  };
}

/** Why departments may share this family's case details: the family's consent or a legal basis. */
export const SHARING_BASES = ['consent', 'legal-basis'] as const;
export type SharingBasis = (typeof SHARING_BASES)[number];

/**
 * The family agrees (or the law allows) that these departments' case details may be shown to
 * the family's primary contact. Another grant for the same department replaces the earlier one.
 */
export interface FamilyConsentGiven {
  readonly type: 'FamilyConsentGiven';
  readonly data: {
    readonly familyId: string;
    readonly departmentIds: readonly string[];
    readonly basis: SharingBasis;
    /** For a legal basis: the provision relied on (e.g. "serviceloven § 49 b"); no personal data. */
    readonly reference: string | null;
    readonly givenAt: string;
  };
}

export interface FamilyConsentWithdrawn {
  readonly type: 'FamilyConsentWithdrawn';
  readonly data: {
    readonly familyId: string;
    readonly departmentIds: readonly string[];
    readonly withdrawnAt: string;
  };
}

export type FamilyEvent =
  | FamilyRegistered
  | FamilyMemberAdded
  | FamilyMemberRemoved
  | PrimaryContactAssigned
  | PrimaryContactHandedOver
  | PrimaryContactReleased
  | FamilyToldOfPrimaryContact
  | FamilyConsentGiven
  | FamilyConsentWithdrawn;

export const FAMILY_EVENTS = eventUnion<FamilyEvent>({
  FamilyRegistered: true,
  FamilyMemberAdded: true,
  FamilyMemberRemoved: true,
  PrimaryContactAssigned: true,
  PrimaryContactHandedOver: true,
  PrimaryContactReleased: true,
  FamilyToldOfPrimaryContact: true,
  FamilyConsentGiven: true,
  FamilyConsentWithdrawn: true,
});
export const FAMILY_EVENT_TYPES = FAMILY_EVENTS.types;
export const isFamilyEvent = FAMILY_EVENTS.is;
