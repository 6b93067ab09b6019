import type { ContactChannel } from '../cases/case.events';
import type { CaseworkerFacts } from '../caseworkers/caseworker.decider';
import type { FamilyRole, SharingBasis } from './family.events';

export type FamilyCommand =
  | {
      readonly type: 'RegisterFamily';
      readonly familyId: string;
      readonly at?: Date;
      readonly now: Date;
    }
  | {
      readonly type: 'AddFamilyMember';
      readonly familyId: string;
      readonly personId: string;
      readonly role: FamilyRole;
      /** When it happened, if not now: never in the future, never before the family was registered. */
      readonly at?: Date;
      readonly now: Date;
    }
  | {
      readonly type: 'RemoveFamilyMember';
      readonly familyId: string;
      readonly personId: string;
      /** When it happened, if not now: never in the future, never before the family was registered. */
      readonly at?: Date;
      readonly now: Date;
    }
  | {
      readonly type: 'AssignPrimaryContact';
      readonly familyId: string;
      readonly caseworker: CaseworkerFacts;
      /** When it happened, if not now: never in the future, never before the family was registered. */
      readonly at?: Date;
      readonly now: Date;
    }
  | {
      readonly type: 'HandOverPrimaryContact';
      readonly familyId: string;
      readonly to: CaseworkerFacts;
      readonly reason: string;
      /** When it happened, if not now: never in the future, never before the family was registered. */
      readonly at?: Date;
      readonly now: Date;
    }
  | {
      readonly type: 'ReleasePrimaryContact';
      readonly familyId: string;
      readonly reason: string;
      /** When it happened, if not now: never in the future, never before the family was registered. */
      readonly at?: Date;
      readonly now: Date;
    }
  | {
      readonly type: 'RecordFamilyTold';
      readonly familyId: string;
      readonly channel: ContactChannel;
      readonly toldAt: Date;
      readonly now: Date;
    }
  | {
      readonly type: 'GiveConsent';
      readonly familyId: string;
      readonly departmentIds: readonly string[];
      readonly basis: SharingBasis;
      readonly reference: string | null;
      /** When it happened, if not now: never in the future, never before the family was registered. */
      readonly at?: Date;
      readonly now: Date;
    }
  | {
      readonly type: 'WithdrawConsent';
      readonly familyId: string;
      readonly departmentIds: readonly string[];
      /** When it happened, if not now: never in the future, never before the family was registered. */
      readonly at?: Date;
      readonly now: Date;
    };
