import { familyDecider, familyStream, isFamilyEvent } from '@tovholder/domain';
import { loadCaseworkerFacts } from '../caseworkers/caseworker-facts';
import { requirePerson } from '../persons/persons';
import { streamKind } from '../shared/command-runner';
import type { HappenedAtDto } from '../http/happened-at.dto';
import type {
  AddFamilyMemberDto,
  AssignPrimaryContactDto,
  GiveConsentDto,
  HandOverPrimaryContactDto,
  RecordToldDto,
  ReleasePrimaryContactDto,
  WithdrawConsentDto,
} from './family.dto';

export const FAMILIES = streamKind(familyStream, familyDecider, isFamilyEvent);

export const registerFamily = (familyId: string, body: HappenedAtDto) =>
  FAMILIES.on(familyId, ({ now }) => ({ type: 'RegisterFamily', familyId, at: body.at, now }));

/** Only a registered person can be a member. */
export const addFamilyMember = (familyId: string, body: AddFamilyMemberDto) =>
  FAMILIES.on(familyId, async ({ manager, now }) => {
    await requirePerson(manager, body.personId);
    return {
      type: 'AddFamilyMember',
      familyId,
      personId: body.personId,
      role: body.role,
      at: body.at,
      now,
    };
  });

export const removeFamilyMember = (familyId: string, personId: string, query: HappenedAtDto) =>
  FAMILIES.on(familyId, ({ now }) => ({
    type: 'RemoveFamilyMember',
    familyId,
    personId,
    at: query.at,
    now,
  }));

export const assignPrimaryContact = (familyId: string, body: AssignPrimaryContactDto) =>
  FAMILIES.on(familyId, async ({ store, now }) => ({
    type: 'AssignPrimaryContact',
    familyId,
    caseworker: await loadCaseworkerFacts(store, body.caseworkerId),
    at: body.at,
    now,
  }));

export const handOverPrimaryContact = (familyId: string, body: HandOverPrimaryContactDto) =>
  FAMILIES.on(familyId, async ({ store, now }) => ({
    type: 'HandOverPrimaryContact',
    familyId,
    to: await loadCaseworkerFacts(store, body.toCaseworkerId),
    reason: body.reason,
    at: body.at,
    now,
  }));

export const releasePrimaryContact = (familyId: string, body: ReleasePrimaryContactDto) =>
  FAMILIES.on(familyId, ({ now }) => ({
    type: 'ReleasePrimaryContact',
    familyId,
    reason: body.reason,
    at: body.at,
    now,
  }));

export const recordFamilyTold = (familyId: string, body: RecordToldDto) =>
  FAMILIES.on(familyId, ({ now }) => ({
    type: 'RecordFamilyTold',
    familyId,
    channel: body.channel,
    toldAt: body.toldAt ?? now,
    now,
  }));

export const giveConsent = (familyId: string, body: GiveConsentDto) =>
  FAMILIES.on(familyId, ({ now }) => ({
    type: 'GiveConsent',
    familyId,
    departmentIds: body.departmentIds,
    basis: body.basis,
    reference: body.reference ?? null,
    at: body.at,
    now,
  }));

export const withdrawConsent = (familyId: string, body: WithdrawConsentDto) =>
  FAMILIES.on(familyId, ({ now }) => ({
    type: 'WithdrawConsent',
    familyId,
    departmentIds: body.departmentIds,
    at: body.at,
    now,
  }));
