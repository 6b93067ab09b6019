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

export type FamilyEvent =
  | FamilyRegistered
  | FamilyMemberAdded
  | FamilyMemberRemoved
  | PrimaryContactAssigned
  | PrimaryContactHandedOver
  | PrimaryContactReleased
  | FamilyToldOfPrimaryContact;

export const FAMILY_EVENT_TYPES: ReadonlySet<string> = new Set<FamilyEvent['type']>([
  'FamilyRegistered',
  'FamilyMemberAdded',
  'FamilyMemberRemoved',
  'PrimaryContactAssigned',
  'PrimaryContactHandedOver',
  'PrimaryContactReleased',
  'FamilyToldOfPrimaryContact',
]);
