/**
 * Danish wording for the meeting pages: flag codes, agenda sections, agreement statuses, dates.
 * Codes stay English in data; only what a reader sees is Danish.
 */
import type { AgendaSection } from '@tovholder/domain';
import { dateParts, type IsoDate } from '@tovholder/domain/shared/calendar-dates';
import { copenhagenDateOf, DANISH_TIME_ZONE } from '@tovholder/domain/shared/copenhagen-time';

/** What a page shows for a person who was erased: their name is gone for good. */
export const ERASED_PERSON_LABEL = 'Slettet person';

/**
 * A family named by its members: "Familien Alma Andersen, Bo Andersen" (Danish order); erased
 * members are left out, and a family with none left is "Familien (slettede personer)".
 */
export function familyLabel(memberNames: readonly (string | null)[]): string {
  const names = memberNames
    .filter((name): name is string => name !== null && name.trim() !== '')
    .sort((a, b) => a.localeCompare(b, 'da'));
  return names.length > 0 ? `Familien ${names.join(', ')}` : 'Familien (slettede personer)';
}

/** The flag codes raised across the app, as a caseworker or a family would read them. */
export const FLAG_TEXTS: Readonly<Record<string, string>> = {
  MISSING_PRIMARY_CONTACT: 'Mangler primær kontaktsagsbehandler',
  PRIMARY_CONTACT_INACTIVE: 'Den primære kontaktsagsbehandler er ikke længere aktiv',
  CASEWORKER_CHANGE_NOT_TOLD: 'Borgeren har ikke fået besked om ny sagsbehandler',
  NOT_STARTED: 'Forberedelsen af overgangen til voksenlivet er ikke startet',
  NO_ADULT_CASEWORKER: 'Ingen sagsbehandler på voksenområdet',
  YOUTH_PLAN_MISSING: 'Ungeplan mangler',
  AFTERCARE_DECISION_DUE: 'Afgørelse om støtte efter 18 år skal snart træffes',
  AFTERCARE_DECISION_OVERDUE: 'Afgørelse om støtte efter 18 år er forsinket',
  DECISION_NOT_READY_AT_18: 'Afgørelsen er ikke klar til det fyldte 18. år',
  ACK_OVERDUE: 'Kvittering for henvendelsen er forsinket',
  ANSWER_OVERDUE: 'Svar på henvendelsen er forsinket',
  DEADLINE_APPROACHING: 'Sagsbehandlingsfristen nærmer sig',
  OVERDUE_WITHOUT_NOTICE: 'Fristen er overskredet uden besked til borgeren',
  OVERDUE: 'Sagsbehandlingsfristen er overskredet',
  DECISION_INCOMPLETE: 'Afgørelsen er ikke fuldstændig',
  APOLOGY_MISSING: 'Beklagelse til borgeren mangler',
  COMPLAINT_OVERDUE: 'Svar på klagen er forsinket',
  FILE_ACCESS_OVERDUE: 'Svar på aktindsigt er forsinket',
  NOTE_MISSING: 'Notat mangler',
  INSECURE_CHANNEL: 'Personoplysninger sendt ad usikker vej',
  AGREEMENT_OVERDUE: 'Aftalen er ikke udført til tiden',
  VISITATION_WAITING: 'Venter på visitation',
};

/** Unknown codes are shown as they are, so a new flag is visible before it is translated. */
export function flagText(code: string): string {
  return Object.hasOwn(FLAG_TEXTS, code) ? (FLAG_TEXTS[code] ?? code) : code;
}

export const SECTION_TITLES: { readonly [S in AgendaSection]: string } = {
  'primary-contact-missing': 'Familier uden primær kontaktsagsbehandler',
  'turning-16-not-started': 'Unge omkring 16 år: overgangen til voksenlivet er ikke startet',
  'transition-flags': 'Overgang til voksenlivet: opmærksomhedspunkter',
  'overdue-duties': 'Overskredne frister',
  'open-agreements': 'Åbne aftaler fra tidligere møder',
};

/** Matters raised at the meeting itself (`other:<uuid>` items). */
export const OTHER_SECTION_TITLE = 'Øvrige punkter';

/** What a duty record is, by its kind in `<recordKind>:<recordId>`. */
export const DUTY_KIND_TEXTS: Readonly<Record<string, string>> = {
  inquiry: 'Henvendelse',
  application: 'Ansøgning',
  complaint: 'Klage',
  'file-access': 'Aktindsigt',
  journal: 'Journal',
  meeting: 'Aftale fra koordinationsmøde',
  visitation: 'Visitation',
};

export type AgreementDisplayStatus = 'open' | 'done' | 'cancelled' | 'overdue';

export const AGREEMENT_STATUS_TEXTS: { readonly [S in AgreementDisplayStatus]: string } = {
  open: 'Åben',
  done: 'Udført',
  cancelled: 'Annulleret',
  overdue: 'Overskredet',
};

const MONTHS = [
  'januar',
  'februar',
  'marts',
  'april',
  'maj',
  'juni',
  'juli',
  'august',
  'september',
  'oktober',
  'november',
  'december',
] as const;

/** '2026-11-24' → '24. november 2026'. */
export function danishDate(date: IsoDate): string {
  const { year, month, day } = dateParts(date);
  return `${day}. ${MONTHS[month - 1]} ${year}`;
}

let timeFormat: Intl.DateTimeFormat | undefined;

/**
 * An instant in Danish time: '2026-11-24T13:30:00Z' → '24. november 2026 kl. 14.30'. A value
 * that is not an instant is shown as it is (the page should still render).
 */
export function danishDateTime(instant: string): string {
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) return instant;
  timeFormat ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: DANISH_TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const parts = timeFormat.formatToParts(at);
  const part = (type: 'hour' | 'minute') => parts.find((p) => p.type === type)?.value ?? '00';
  return `${danishDate(copenhagenDateOf(at))} kl. ${part('hour')}.${part('minute')}`;
}
