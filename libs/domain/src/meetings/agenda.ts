/**
 * Composing the coordination meeting's agenda from what the read models know on `today`. Pure:
 * the caller gathers the inputs (families without a primary contact, young people, flags,
 * open agreements), calls `composeAgenda`, and freezes the result with FreezeAgenda so the
 * record keeps what the meeting saw.
 */
import { addCalendarMonths, dateParts, type IsoDate } from '../shared/calendar-dates';
import { copenhagenDateOf, endOfCopenhagenDay } from '../shared/copenhagen-time';
import { addWorkingDays, type WorkingDayOptions } from '../shared/danish-holidays';
import { AGREEMENT_OVERDUE } from './meeting-flags';
import {
  AGENDA_SECTIONS,
  AGENDA_SECTION_SUBJECT,
  type AgendaItem,
  type AgendaSection,
} from './meeting.events';

/** Local policy. */
export interface AgendaRules {
  /** Young people turning 16 within this many months (or already 16) without a started preparation. */
  readonly turningSixteenWithinMonths: number;
  /** The default cut-off: the end of the day this many working days before the meeting. */
  readonly agendaCutOffWorkingDays: number;
  /** The municipality's closing days on top of the law's holidays. */
  readonly calendar?: WorkingDayOptions;
}

export const DEFAULT_AGENDA_RULES: AgendaRules = {
  turningSixteenWithinMonths: 3,
  agendaCutOffWorkingDays: 5,
};

/**
 * The default agenda cut-off of a meeting on `meetingDate`: the end (23:59:59.999 Danish time)
 * of the `agendaCutOffWorkingDays`-th working day before it, so departments get those working
 * days to prepare (weekends and Danish public holidays do not count).
 */
export function agendaCutOffFor(
  meetingDate: IsoDate,
  rules: AgendaRules = DEFAULT_AGENDA_RULES,
): Date {
  checkRules(rules);
  return endOfCopenhagenDay(
    addWorkingDays(meetingDate, -rules.agendaCutOffWorkingDays, rules.calendar),
  );
}

/** A family that needs a primary contact (by the coordination rules) and has none. */
export interface AgendaFamilyInput {
  readonly familyId: string;
  /** The instant the need arose (the coordination flag's `since`). */
  readonly needsPrimaryContactSince: string;
  readonly departmentIds: readonly string[];
}

/**
 * A young person. For 'turning-16-not-started' the caller passes those in scope whose
 * preparation has not started; for 'transition-flags' those whose transition has open flags.
 */
export interface AgendaYoungPersonInput {
  readonly personId: string;
  readonly familyId: string | null;
  readonly sixteenthBirthday: IsoDate;
  readonly flagCodes: readonly string[];
  /** The earliest due date of the flags, if any. */
  readonly dueDate: IsoDate | null;
  readonly departmentIds: readonly string[];
}

/** A casework duty (inquiry, application, file access, …) with overdue flags. */
export interface AgendaDutyInput {
  /** e.g. 'inquiry', 'application'; with recordId it names the record. */
  readonly recordKind: string;
  readonly recordId: string;
  readonly caseId: string | null;
  readonly personId: string | null;
  readonly familyId: string | null;
  readonly flagCodes: readonly string[];
  /** The earliest due date of the flags. */
  readonly dueDate: IsoDate;
  readonly departmentIds: readonly string[];
}

/** An agreement from an earlier meeting that is neither completed nor cancelled. */
export interface AgendaAgreementInput {
  readonly agreementId: string;
  readonly meetingId: string;
  readonly familyId: string | null;
  readonly personId: string | null;
  readonly dueDate: IsoDate;
  readonly overdue: boolean;
  readonly departmentIds: readonly string[];
}

export interface AgendaInput {
  readonly families: readonly AgendaFamilyInput[];
  readonly youngPeople: readonly AgendaYoungPersonInput[];
  readonly transitionsWithFlags: readonly AgendaYoungPersonInput[];
  readonly overdueDuties: readonly AgendaDutyInput[];
  readonly openAgreements: readonly AgendaAgreementInput[];
  /** The previous meeting's agenda cut-off (an instant), null for the first meeting. */
  readonly previousCutOffAt: string | null;
  readonly today: IsoDate;
  /** The meeting's departments: items touching none of them are left out. */
  readonly departmentIds: readonly string[];
}

interface Draft {
  readonly section: AgendaSection;
  readonly subjectId: string;
  readonly familyId: string | null;
  readonly personId: string | null;
  readonly dueDate: IsoDate | null;
  readonly flagCodes: readonly string[];
  readonly isNew: boolean;
  readonly departmentIds: readonly string[];
  /** Open agreements only: past their due date. */
  readonly overdue: boolean;
}

/**
 * The agenda items for a meeting of `input.departmentIds` on `input.today`, section by section
 * in AGENDA_SECTIONS order, most urgent first within a section. Only matters touching at least
 * one of the meeting's departments are kept. Item ids are `${section}:${subject.id}`, so the
 * same matter gets the same id every month.
 *
 * - 'primary-contact-missing': one item per family; dueDate is the Danish day the need arose
 *   (a primary contact was due from then), so the longest-waiting family comes first.
 * - 'turning-16-not-started': young people whose 16th birthday is at the latest
 *   `turningSixteenWithinMonths` months after today (already 16 included).
 * - 'transition-flags': young people with at least one transition flag. A young person also in
 *   'turning-16-not-started' is listed there only, with the flags merged in.
 * - 'overdue-duties': one item per record (subject id `<recordKind>:<recordId>`).
 * - 'open-agreements': overdue first, flag code AGREEMENT_OVERDUE on those.
 *
 * Urgency: dueDate ascending (none last), then subject id; open agreements overdue first.
 * Entries for the same subject within a section are merged (flag codes and departments joined,
 * the earliest due date kept).
 *
 * isNew (was not yet a matter at the previous meeting; always true without a previous one):
 * - families: the need arose after the previous cut-off instant;
 * - everything else: the item's dueDate is after the Danish date of the previous cut-off (a
 *   flag or agreement that fell due since). A young person without a due date counts from the
 *   day they came within the turning-16 window (16th birthday minus the window's months).
 */
export function composeAgenda(
  input: AgendaInput,
  rules: AgendaRules = DEFAULT_AGENDA_RULES,
): AgendaItem[] {
  checkRules(rules);
  dateParts(input.today);
  const previousCutOff = input.previousCutOffAt === null ? null : instant(input.previousCutOffAt);
  const previousCutOffDate = previousCutOff === null ? null : copenhagenDateOf(previousCutOff);
  const dueSincePreviousCutOff = (date: IsoDate | null): boolean =>
    previousCutOffDate === null || (date !== null && date > previousCutOffDate);
  const window = rules.turningSixteenWithinMonths;

  const youngPerson = (section: AgendaSection, person: AgendaYoungPersonInput): Draft => ({
    section,
    subjectId: person.personId,
    familyId: person.familyId,
    personId: person.personId,
    dueDate: person.dueDate,
    flagCodes: person.flagCodes,
    isNew: dueSincePreviousCutOff(
      person.dueDate ?? addCalendarMonths(person.sixteenthBirthday, -window),
    ),
    departmentIds: person.departmentIds,
    overdue: false,
  });

  const families = input.families.map((family): Draft => ({
    section: 'primary-contact-missing',
    subjectId: family.familyId,
    familyId: family.familyId,
    personId: null,
    dueDate: copenhagenDateOf(instant(family.needsPrimaryContactSince)),
    flagCodes: [],
    isNew:
      previousCutOff === null ||
      instant(family.needsPrimaryContactSince).getTime() > previousCutOff.getTime(),
    departmentIds: family.departmentIds,
    overdue: false,
  }));

  const windowEnd = addCalendarMonths(input.today, window);
  const turningSixteen = input.youngPeople
    .filter((person) => person.sixteenthBirthday <= windowEnd)
    .map((person) => youngPerson('turning-16-not-started', person));

  const transitions = input.transitionsWithFlags
    .filter((person) => person.flagCodes.length > 0)
    .map((person) => youngPerson('transition-flags', person));

  const duties = input.overdueDuties.map((duty): Draft => ({
    section: 'overdue-duties',
    subjectId: `${duty.recordKind}:${duty.recordId}`,
    familyId: duty.familyId,
    personId: duty.personId,
    dueDate: duty.dueDate,
    flagCodes: duty.flagCodes,
    isNew: dueSincePreviousCutOff(duty.dueDate),
    departmentIds: duty.departmentIds,
    overdue: false,
  }));

  const agreements = input.openAgreements.map((agreement): Draft => ({
    section: 'open-agreements',
    subjectId: agreement.agreementId,
    familyId: agreement.familyId,
    personId: agreement.personId,
    dueDate: agreement.dueDate,
    flagCodes: agreement.overdue ? [AGREEMENT_OVERDUE] : [],
    isNew: dueSincePreviousCutOff(agreement.dueDate),
    departmentIds: agreement.departmentIds,
    overdue: agreement.overdue,
  }));

  // Merge per subject; a young person in both young-person sections stays in the first.
  const bySubject = new Map<string, Draft>();
  const key = (draft: Draft): string =>
    AGENDA_SECTION_SUBJECT[draft.section] === 'young-person'
      ? `young-person:${draft.subjectId}`
      : `${draft.section}:${draft.subjectId}`;
  for (const draft of [...families, ...turningSixteen, ...transitions, ...duties, ...agreements]) {
    const known = bySubject.get(key(draft));
    bySubject.set(key(draft), known === undefined ? draft : merge(known, draft));
  }

  const meetingDepartments = new Set(input.departmentIds);
  const kept = [...bySubject.values()].filter((draft) =>
    draft.departmentIds.some((id) => meetingDepartments.has(id)),
  );

  const sectionRank = (section: AgendaSection): number => AGENDA_SECTIONS.indexOf(section);
  kept.sort(
    (a, b) =>
      sectionRank(a.section) - sectionRank(b.section) ||
      Number(b.overdue) - Number(a.overdue) ||
      compareDueDates(a.dueDate, b.dueDate) ||
      compare(a.subjectId, b.subjectId),
  );

  return kept.map((draft) => ({
    itemId: `${draft.section}:${draft.subjectId}`,
    section: draft.section,
    subject: { kind: AGENDA_SECTION_SUBJECT[draft.section], id: draft.subjectId },
    familyId: draft.familyId,
    personId: draft.personId,
    dueDate: draft.dueDate,
    flagCodes: sortedUnique(draft.flagCodes),
    isNew: draft.isNew,
    departmentIds: sortedUnique(draft.departmentIds),
  }));
}

/** `kept` stays in its section; the rest is joined in. */
function merge(kept: Draft, other: Draft): Draft {
  return {
    ...kept,
    familyId: kept.familyId ?? other.familyId,
    personId: kept.personId ?? other.personId,
    dueDate: compareDueDates(kept.dueDate, other.dueDate) <= 0 ? kept.dueDate : other.dueDate,
    flagCodes: [...kept.flagCodes, ...other.flagCodes],
    isNew: kept.isNew || other.isNew,
    departmentIds: [...kept.departmentIds, ...other.departmentIds],
    overdue: kept.overdue || other.overdue,
  };
}

function compareDueDates(a: IsoDate | null, b: IsoDate | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return compare(a, b);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

function instant(value: string): Date {
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new RangeError('Expected an ISO instant');
  return parsed;
}

function checkRules(rules: AgendaRules): void {
  const numbers = [rules.turningSixteenWithinMonths, rules.agendaCutOffWorkingDays];
  if (!numbers.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw new RangeError('Agenda rules are whole, non-negative numbers');
  }
}
