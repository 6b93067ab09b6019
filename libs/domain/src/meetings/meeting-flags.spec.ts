import {
  agreementFlags,
  emptyMeetingFacts,
  foldMeetingFacts,
  minutesExtractForFamily,
  type MeetingFacts,
} from './meeting-flags';
import type { AgendaItem, IdentifiedMeetingEvent } from './meeting.events';

const meetingId = 'm-1';
const at = '2026-04-07T10:00:00.000Z';
const later = '2026-04-08T10:00:00.000Z';

const item = (
  itemId: string,
  familyId: string | null,
  personId: string | null = null,
): AgendaItem => {
  const [section, ...rest] = itemId.split(':');
  const id = rest.join(':');
  const kinds = {
    'primary-contact-missing': 'family',
    'transition-flags': 'young-person',
    'overdue-duties': 'duty',
    'open-agreements': 'agreement',
  } as const;
  return {
    itemId,
    section: section as keyof typeof kinds,
    subject: { kind: kinds[section as keyof typeof kinds], id },
    familyId,
    personId,
    dueDate: '2026-03-01',
    flagCodes: [],
    isNew: true,
    departmentIds: ['chp'],
  };
};
const ownFamily = item('primary-contact-missing:f-1', 'f-1');
const ownYoungPerson = item('transition-flags:p-1', 'f-1', 'p-1');
const otherFamily = item('primary-contact-missing:f-2', 'f-2');
const otherYoungPerson = item('transition-flags:p-2', 'f-2', 'p-2');
const noFamily = item('overdue-duties:inquiry:i-9', null);
const otherItemId = 'other:0b6c3f4e-2a51-4c1e-9d3a-7f2e8b9c1d00';

const planned: IdentifiedMeetingEvent = {
  id: 'e-plan',
  type: 'MeetingPlanned',
  data: {
    meetingId,
    date: '2026-04-07',
    chairDepartmentId: 'cbu',
    departmentIds: ['cbu', 'chp'],
    agendaCutOffAt: '2026-03-26T22:59:59.999Z',
    plannedAt: '2026-03-01T09:00:00.000Z',
  },
};
const frozen: IdentifiedMeetingEvent = {
  id: 'e-freeze',
  type: 'AgendaFrozen',
  data: {
    meetingId,
    frozenAt: '2026-03-27T08:00:00.000Z',
    early: false,
    previousMeetingId: null,
    items: [ownFamily, otherFamily, ownYoungPerson, otherYoungPerson, noFamily],
  },
};
const minutesFor = (
  id: string,
  itemId: string,
  outcome: string,
  recordedAt = at,
): IdentifiedMeetingEvent => ({
  id,
  type: 'ItemMinutesRecorded',
  data: { meetingId, itemId, outcome, decisions: [`decided ${outcome}`], recordedAt },
});
const agreementFor = (
  id: string,
  agreementId: string,
  source: AgendaItem | null,
  dueDate: string,
): IdentifiedMeetingEvent => ({
  id,
  type: 'AgreementMade',
  data: {
    meetingId,
    agreementId,
    itemId: source?.itemId ?? otherItemId,
    what: `do ${agreementId}`,
    owner: { kind: 'department', departmentId: 'chp' },
    dueDate,
    familyId: source?.familyId ?? null,
    personId: source?.personId ?? null,
    madeAt: at,
  },
});
const approved: IdentifiedMeetingEvent = {
  id: 'e-approve',
  type: 'MinutesApproved',
  data: { meetingId, approvedAt: later, approvedBy: 'cw-chair' },
};
const completedOf = (id: string, agreementId: string): IdentifiedMeetingEvent => ({
  id,
  type: 'AgreementCompleted',
  data: { meetingId, agreementId, completedAt: later, note: 'done' },
});
const cancelledOf = (id: string, agreementId: string): IdentifiedMeetingEvent => ({
  id,
  type: 'AgreementCancelled',
  data: { meetingId, agreementId, reason: 'moved', cancelledAt: later },
});

const facts = (events: IdentifiedMeetingEvent[]): MeetingFacts =>
  foldMeetingFacts(meetingId, events);
const flagged = (f: MeetingFacts, today: string) =>
  agreementFlags(f, today).map((flag) => flag.agreementId);

describe('foldMeetingFacts', () => {
  it('keeps the latest minutes per item, corrections included, in first-recorded order', () => {
    const f = facts([
      planned,
      frozen,
      minutesFor('e-m1', ownFamily.itemId, 'first'),
      minutesFor('e-m2', otherFamily.itemId, 'other family'),
      minutesFor('e-m3', ownFamily.itemId, 'second', '2026-04-07T11:00:00.000Z'),
      approved,
      {
        id: 'e-fix',
        type: 'MinutesCorrected',
        data: {
          meetingId,
          itemId: ownFamily.itemId,
          outcome: 'corrected',
          decisions: [],
          reason: 'wrong department',
          correctedAt: later,
        },
      },
    ]);
    expect(f.minutes).toEqual([
      {
        itemId: ownFamily.itemId,
        outcome: 'corrected',
        decisions: [],
        eventId: 'e-fix',
        recordedAt: '2026-04-07T11:00:00.000Z',
        correction: { eventId: 'e-fix', reason: 'wrong department', correctedAt: later },
      },
      {
        itemId: otherFamily.itemId,
        outcome: 'other family',
        decisions: ['decided other family'],
        eventId: 'e-m2',
        recordedAt: at,
        correction: null,
      },
    ]);
    expect(f.approved).toEqual({ eventId: 'e-approve', approvedAt: later, approvedBy: 'cw-chair' });
    expect(f.planned?.eventId).toBe('e-plan');
    expect(f.agenda?.items).toHaveLength(5);
  });

  it('tracks agreements open, done and cancelled', () => {
    const f = facts([
      planned,
      frozen,
      agreementFor('e-a1', 'a-1', ownFamily, '2026-04-21'),
      agreementFor('e-a2', 'a-2', ownFamily, '2026-04-21'),
      agreementFor('e-a3', 'a-3', null, '2026-04-21'),
      completedOf('e-c1', 'a-1'),
      cancelledOf('e-x2', 'a-2'),
    ]);
    expect(f.agreements.map((a) => [a.agreementId, a.status, a.closed])).toEqual([
      ['a-1', 'done', { eventId: 'e-c1', at: later, text: 'done' }],
      ['a-2', 'cancelled', { eventId: 'e-x2', at: later, text: 'moved' }],
      ['a-3', 'open', null],
    ]);
  });

  it('of no events is the empty facts', () => {
    expect(facts([])).toEqual(emptyMeetingFacts(meetingId));
  });
});

describe('agreementFlags', () => {
  it('AGREEMENT_OVERDUE from the day after the due date, with the event it rests on', () => {
    const f = facts([planned, frozen, agreementFor('e-a1', 'a-1', ownYoungPerson, '2026-04-21')]);
    expect(agreementFlags(f, '2026-04-21')).toEqual([]);
    expect(agreementFlags(f, '2026-04-22')).toEqual([
      {
        code: 'AGREEMENT_OVERDUE',
        meetingId,
        agreementId: 'a-1',
        familyId: 'f-1',
        personId: 'p-1',
        owner: { kind: 'department', departmentId: 'chp' },
        dueDate: '2026-04-21',
        rule: expect.stringContaining('Local policy'),
        severity: 'overdue',
        eventIds: ['e-a1'],
      },
    ]);
  });

  it('counts calendar days: a due date on Good Friday is not moved past Easter', () => {
    const f = facts([planned, frozen, agreementFor('e-a1', 'a-1', ownFamily, '2026-04-03')]);
    expect(flagged(f, '2026-04-03')).toEqual([]);
    expect(flagged(f, '2026-04-04')).toEqual(['a-1']);
  });

  it('across the year end and on a leap day', () => {
    const yearEnd = facts([planned, frozen, agreementFor('e-a1', 'a-1', ownFamily, '2026-12-31')]);
    expect(flagged(yearEnd, '2026-12-31')).toEqual([]);
    expect(flagged(yearEnd, '2027-01-01')).toEqual(['a-1']);
    const leapDay = facts([planned, frozen, agreementFor('e-a1', 'a-1', ownFamily, '2028-02-29')]);
    expect(flagged(leapDay, '2028-02-29')).toEqual([]);
    expect(flagged(leapDay, '2028-03-01')).toEqual(['a-1']);
  });

  it('clears when the agreement is completed or cancelled, also after approval', () => {
    const made = [
      planned,
      frozen,
      agreementFor('e-a1', 'a-1', ownFamily, '2026-04-21'),
      agreementFor('e-a2', 'a-2', otherFamily, '2026-04-10'),
      agreementFor('e-a3', 'a-3', null, '2026-04-15'),
      approved,
    ];
    expect(flagged(facts(made), '2026-05-01')).toEqual(['a-2', 'a-3', 'a-1']);
    expect(
      flagged(
        facts([...made, completedOf('e-c1', 'a-1'), cancelledOf('e-x2', 'a-2')]),
        '2026-05-01',
      ),
    ).toEqual(['a-3']);
  });

  it('the same facts built by hand (as the read model stores them) give the same flags', () => {
    const folded = facts([planned, frozen, agreementFor('e-a1', 'a-1', ownFamily, '2026-04-21')]);
    const stored: MeetingFacts = JSON.parse(JSON.stringify(folded)) as MeetingFacts;
    expect(agreementFlags(stored, '2026-05-01')).toEqual(agreementFlags(folded, '2026-05-01'));
  });

  it('refuses a malformed today', () => {
    expect(() => agreementFlags(emptyMeetingFacts(meetingId), '2026-02-30')).toThrow(RangeError);
  });
});

describe('minutesExtractForFamily', () => {
  const all = facts([
    planned,
    frozen,
    minutesFor('e-m1', ownFamily.itemId, 'own family outcome'),
    minutesFor('e-m2', otherFamily.itemId, 'secret other outcome'),
    minutesFor('e-m3', otherYoungPerson.itemId, 'secret other person outcome'),
    minutesFor('e-m4', noFamily.itemId, 'secret duty outcome'),
    minutesFor('e-m5', otherItemId, 'secret raised outcome'),
    agreementFor('e-a1', 'a-own', ownYoungPerson, '2026-04-21'),
    agreementFor('e-a2', 'a-secret-other', otherYoungPerson, '2026-04-21'),
    agreementFor('e-a3', 'a-secret-raised', null, '2026-04-21'),
    approved,
  ]);

  it("gives the family's own items with their minutes and agreements, in agenda order", () => {
    const extract = minutesExtractForFamily(all, 'f-1');
    expect(extract.meetingId).toBe(meetingId);
    expect(extract.date).toBe('2026-04-07');
    expect(extract.approvedAt).toBe(later);
    expect(
      extract.items.map((entry) => [
        entry.item.itemId,
        entry.minutes?.outcome ?? null,
        entry.agreements.map((a) => a.agreementId),
      ]),
    ).toEqual([
      [ownFamily.itemId, 'own family outcome', []],
      [ownYoungPerson.itemId, null, ['a-own']],
    ]);
  });

  it("holds no other family's ids or minutes, nor items without a family", () => {
    const text = JSON.stringify(minutesExtractForFamily(all, 'f-1'));
    for (const foreign of ['f-2', 'p-2', 'i-9', 'other:', 'a-secret', 'secret', 'e-m2', 'e-a2']) {
      expect(text).not.toContain(foreign);
    }
    const theirs = JSON.stringify(minutesExtractForFamily(all, 'f-2'));
    for (const foreign of ['f-1', 'p-1', 'a-own', 'own family outcome']) {
      expect(theirs).not.toContain(foreign);
    }
  });

  it('is empty for a family not on the agenda, or before the agenda is frozen', () => {
    expect(minutesExtractForFamily(all, 'f-9').items).toEqual([]);
    expect(minutesExtractForFamily(facts([planned]), 'f-1')).toEqual({
      meetingId,
      familyId: 'f-1',
      date: '2026-04-07',
      approvedAt: null,
      items: [],
    });
  });
});
