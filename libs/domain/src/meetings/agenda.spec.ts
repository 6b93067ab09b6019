import fc from 'fast-check';
import { CUSTOMARY_CLOSED_DAYS } from '../shared/danish-holidays';
import { fold } from '../shared/decider';
import {
  DEFAULT_AGENDA_RULES,
  agendaCutOffFor,
  composeAgenda,
  type AgendaAgreementInput,
  type AgendaDutyInput,
  type AgendaFamilyInput,
  type AgendaInput,
  type AgendaYoungPersonInput,
} from './agenda';
import { meetingDecider } from './meeting.decider';
import { AGENDA_SECTIONS, type MeetingEvent } from './meeting.events';

const today = '2026-03-27';
const empty: AgendaInput = {
  families: [],
  youngPeople: [],
  transitionsWithFlags: [],
  overdueDuties: [],
  openAgreements: [],
  previousCutOffAt: null,
  today,
  departmentIds: ['cbu', 'chp', 'jobcenter'],
};

const family = (familyId: string, since: string, departmentIds = ['chp']): AgendaFamilyInput => ({
  familyId,
  needsPrimaryContactSince: since,
  departmentIds,
});
const person = (
  personId: string,
  sixteenthBirthday: string,
  overrides: Partial<AgendaYoungPersonInput> = {},
): AgendaYoungPersonInput => ({
  personId,
  familyId: null,
  sixteenthBirthday,
  flagCodes: [],
  dueDate: null,
  departmentIds: ['cbu'],
  ...overrides,
});
const duty = (
  recordId: string,
  dueDate: string,
  overrides: Partial<AgendaDutyInput> = {},
): AgendaDutyInput => ({
  recordKind: 'inquiry',
  recordId,
  caseId: null,
  personId: null,
  familyId: null,
  flagCodes: ['NOT_ACKNOWLEDGED'],
  dueDate,
  departmentIds: ['chp'],
  ...overrides,
});
const agreement = (
  agreementId: string,
  dueDate: string,
  overdue: boolean,
  overrides: Partial<AgendaAgreementInput> = {},
): AgendaAgreementInput => ({
  agreementId,
  meetingId: 'm-0',
  familyId: null,
  personId: null,
  dueDate,
  overdue,
  departmentIds: ['jobcenter'],
  ...overrides,
});

const ids = (input: Partial<AgendaInput>) =>
  composeAgenda({ ...empty, ...input }).map((item) => item.itemId);

describe('composeAgenda', () => {
  it('gives one item per matter, in section order, with ids and codes only', () => {
    const items = composeAgenda({
      ...empty,
      families: [family('f-1', '2026-02-10T09:00:00.000Z', ['chp', 'cbu', 'chp'])],
      youngPeople: [person('p-1', '2026-05-01', { familyId: 'f-1' })],
      transitionsWithFlags: [
        person('p-2', '2025-01-10', { flagCodes: ['NOT_STARTED'], dueDate: '2025-02-09' }),
      ],
      overdueDuties: [
        duty('i-1', '2026-03-20', { caseId: 'c-1', personId: 'p-3', familyId: 'f-3' }),
      ],
      openAgreements: [agreement('a-1', '2026-03-01', true)],
    });
    expect(items).toEqual([
      {
        itemId: 'primary-contact-missing:f-1',
        section: 'primary-contact-missing',
        subject: { kind: 'family', id: 'f-1' },
        familyId: 'f-1',
        personId: null,
        dueDate: '2026-02-10',
        flagCodes: [],
        isNew: true,
        departmentIds: ['cbu', 'chp'],
      },
      {
        itemId: 'turning-16-not-started:p-1',
        section: 'turning-16-not-started',
        subject: { kind: 'young-person', id: 'p-1' },
        familyId: 'f-1',
        personId: 'p-1',
        dueDate: null,
        flagCodes: [],
        isNew: true,
        departmentIds: ['cbu'],
      },
      {
        itemId: 'transition-flags:p-2',
        section: 'transition-flags',
        subject: { kind: 'young-person', id: 'p-2' },
        familyId: null,
        personId: 'p-2',
        dueDate: '2025-02-09',
        flagCodes: ['NOT_STARTED'],
        isNew: true,
        departmentIds: ['cbu'],
      },
      {
        itemId: 'overdue-duties:inquiry:i-1',
        section: 'overdue-duties',
        subject: { kind: 'duty', id: 'inquiry:i-1' },
        familyId: 'f-3',
        personId: 'p-3',
        dueDate: '2026-03-20',
        flagCodes: ['NOT_ACKNOWLEDGED'],
        isNew: true,
        departmentIds: ['chp'],
      },
      {
        itemId: 'open-agreements:a-1',
        section: 'open-agreements',
        subject: { kind: 'agreement', id: 'a-1' },
        familyId: null,
        personId: null,
        dueDate: '2026-03-01',
        flagCodes: ['AGREEMENT_OVERDUE'],
        isNew: true,
        departmentIds: ['jobcenter'],
      },
    ]);
  });

  it("keeps only matters touching one of the meeting's departments", () => {
    expect(
      ids({
        families: [
          family('f-1', '2026-02-10T09:00:00.000Z', ['csae']),
          family('f-2', '2026-02-10T09:00:00.000Z', ['csae', 'chp']),
        ],
        overdueDuties: [
          duty('i-1', '2026-03-20', { departmentIds: ['ungeenheden'] }),
          duty('i-2', '2026-03-20'),
        ],
        openAgreements: [agreement('a-1', '2026-03-01', true, { departmentIds: [] })],
      }),
    ).toEqual(['primary-contact-missing:f-2', 'overdue-duties:inquiry:i-2']);
  });

  it('orders by urgency within a section: due date ascending, none last, then id', () => {
    expect(
      ids({
        overdueDuties: [
          duty('i-3', '2026-03-20'),
          duty('i-1', '2026-03-21'),
          duty('i-2', '2026-03-20'),
          duty('i-0', '2026-02-28', { recordKind: 'application' }),
        ],
        youngPeople: [
          person('p-b', '2026-04-01'),
          person('p-a', '2026-05-01'),
          person('p-c', '2026-04-15', { dueDate: '2026-05-15' }),
        ],
      }),
    ).toEqual([
      'turning-16-not-started:p-c',
      'turning-16-not-started:p-a',
      'turning-16-not-started:p-b',
      'overdue-duties:application:i-0',
      'overdue-duties:inquiry:i-2',
      'overdue-duties:inquiry:i-3',
      'overdue-duties:inquiry:i-1',
    ]);
  });

  it('puts overdue agreements first, then by due date', () => {
    expect(
      ids({
        openAgreements: [
          agreement('a-late-future', '2026-04-30', false),
          agreement('a-soon', '2026-03-30', false),
          agreement('a-overdue-2', '2026-03-20', true),
          agreement('a-overdue-1', '2026-02-20', true),
        ],
      }),
    ).toEqual([
      'open-agreements:a-overdue-1',
      'open-agreements:a-overdue-2',
      'open-agreements:a-soon',
      'open-agreements:a-late-future',
    ]);
  });

  it('lists families by how long they have waited (the Danish day the need arose)', () => {
    // 23:30 UTC on 9 Feb is 00:30 on 10 Feb in Copenhagen.
    const items = composeAgenda({
      ...empty,
      families: [
        family('f-a', '2026-02-12T08:00:00.000Z'),
        family('f-b', '2026-02-09T23:30:00.000Z'),
      ],
    });
    expect(items.map((item) => [item.itemId, item.dueDate])).toEqual([
      ['primary-contact-missing:f-b', '2026-02-10'],
      ['primary-contact-missing:f-a', '2026-02-12'],
    ]);
  });

  describe('young people turning 16', () => {
    it('takes those already 16 and those turning 16 within the window, inclusive', () => {
      expect(
        ids({
          youngPeople: [
            person('p-16', '2025-10-01'),
            person('p-edge', '2026-06-27'),
            person('p-out', '2026-06-28'),
          ],
        }),
      ).toEqual(['turning-16-not-started:p-16', 'turning-16-not-started:p-edge']);
    });

    it('the window ends on 29 February in a leap year and on 28 February otherwise', () => {
      const leap = { today: '2027-11-29' };
      expect(
        ids({ ...leap, youngPeople: [person('p-1', '2028-02-29'), person('p-2', '2028-03-01')] }),
      ).toEqual(['turning-16-not-started:p-1']);
      const common = { today: '2026-11-30' };
      expect(
        ids({ ...common, youngPeople: [person('p-1', '2027-02-28'), person('p-2', '2027-03-01')] }),
      ).toEqual(['turning-16-not-started:p-1']);
    });

    it('follows a configured window', () => {
      const input = {
        ...empty,
        youngPeople: [person('p-1', '2026-04-27'), person('p-2', '2026-04-28')],
      };
      const rules = { ...DEFAULT_AGENDA_RULES, turningSixteenWithinMonths: 1 };
      expect(composeAgenda(input, rules).map((item) => item.itemId)).toEqual([
        'turning-16-not-started:p-1',
      ]);
      expect(() => composeAgenda(input, { ...rules, turningSixteenWithinMonths: -1 })).toThrow(
        RangeError,
      );
    });

    it('lists a young person in both sections once, in the first, with the flags merged', () => {
      const items = composeAgenda({
        ...empty,
        youngPeople: [person('p-1', '2026-03-01', { familyId: 'f-1' })],
        transitionsWithFlags: [
          person('p-1', '2026-03-01', {
            flagCodes: ['NOT_STARTED', 'YOUTH_PLAN_MISSING'],
            dueDate: '2026-03-31',
            departmentIds: ['cbu', 'chp'],
          }),
          person('p-2', '2025-01-01', {
            flagCodes: ['NO_ADULT_CASEWORKER'],
            dueDate: '2026-01-01',
          }),
        ],
      });
      expect(items).toEqual([
        expect.objectContaining({
          itemId: 'turning-16-not-started:p-1',
          familyId: 'f-1',
          dueDate: '2026-03-31',
          flagCodes: ['NOT_STARTED', 'YOUTH_PLAN_MISSING'],
          departmentIds: ['cbu', 'chp'],
        }),
        expect.objectContaining({ itemId: 'transition-flags:p-2' }),
      ]);
    });

    it('a transition without flags is no item', () => {
      expect(ids({ transitionsWithFlags: [person('p-1', '2025-01-01')] })).toEqual([]);
    });
  });

  it('merges entries for the same record: flags joined, the earliest due date kept', () => {
    const items = composeAgenda({
      ...empty,
      overdueDuties: [
        duty('i-1', '2026-03-20', { flagCodes: ['NOT_ANSWERED'] }),
        duty('i-1', '2026-03-10', { flagCodes: ['NOT_ACKNOWLEDGED'], departmentIds: ['cbu'] }),
      ],
    });
    expect(items).toEqual([
      expect.objectContaining({
        itemId: 'overdue-duties:inquiry:i-1',
        dueDate: '2026-03-10',
        flagCodes: ['NOT_ACKNOWLEDGED', 'NOT_ANSWERED'],
        departmentIds: ['cbu', 'chp'],
      }),
    ]);
  });

  describe('isNew', () => {
    // The previous cut-off: 23:30 UTC on 26 Feb is 00:30 on 27 Feb in Copenhagen.
    const previousCutOffAt = '2026-02-26T23:30:00.000Z';
    const newness = (input: Partial<AgendaInput>) =>
      Object.fromEntries(
        composeAgenda({ ...empty, previousCutOffAt, ...input }).map((item) => [
          item.itemId,
          item.isNew,
        ]),
      );

    it('families: the need arose after the previous cut-off instant', () => {
      expect(
        newness({
          families: [
            family('f-old', '2026-02-26T23:30:00.000Z'),
            family('f-new', '2026-02-26T23:30:00.001Z'),
          ],
        }),
      ).toEqual({ 'primary-contact-missing:f-old': false, 'primary-contact-missing:f-new': true });
    });

    it("others: the due date is after the previous cut-off's Danish date", () => {
      expect(
        newness({
          overdueDuties: [duty('i-old', '2026-02-27'), duty('i-new', '2026-02-28')],
          openAgreements: [
            agreement('a-old', '2026-02-01', true),
            agreement('a-new', '2026-03-10', true),
          ],
          transitionsWithFlags: [
            person('p-old', '2025-01-01', { flagCodes: ['NOT_STARTED'], dueDate: '2025-01-31' }),
            person('p-new', '2025-01-01', {
              flagCodes: ['NO_ADULT_CASEWORKER'],
              dueDate: '2026-03-01',
            }),
          ],
        }),
      ).toEqual({
        'overdue-duties:inquiry:i-old': false,
        'overdue-duties:inquiry:i-new': true,
        'open-agreements:a-old': false,
        'open-agreements:a-new': true,
        'transition-flags:p-old': false,
        'transition-flags:p-new': true,
      });
    });

    it('a young person without a due date is new when they came within the window since', () => {
      // Window of 3 months: 16 on 27 May entered it on 27 Feb (not after the cut-off date).
      expect(
        newness({ youngPeople: [person('p-old', '2026-05-27'), person('p-new', '2026-05-28')] }),
      ).toEqual({ 'turning-16-not-started:p-old': false, 'turning-16-not-started:p-new': true });
    });

    it('everything is new at the first meeting', () => {
      const items = composeAgenda({
        ...empty,
        families: [family('f-1', '2020-01-01T00:00:00.000Z')],
        overdueDuties: [duty('i-1', '2020-01-01')],
      });
      expect(items.every((item) => item.isNew)).toBe(true);
    });
  });

  it('gives items a FreezeAgenda accepts as they are', () => {
    const planned: MeetingEvent = {
      type: 'MeetingPlanned',
      data: {
        meetingId: 'm-1',
        date: '2026-04-07',
        chairDepartmentId: 'cbu',
        departmentIds: ['cbu', 'chp'],
        agendaCutOffAt: '2026-03-26T22:59:59.999Z',
        plannedAt: '2026-03-01T09:00:00.000Z',
      },
    };
    const items = composeAgenda({
      ...empty,
      families: [family('f-1', '2026-02-10T09:00:00.000Z')],
      youngPeople: [person('p-1', '2026-05-01')],
      overdueDuties: [duty('i-1', '2026-03-20'), duty('i-1', '2026-03-21')],
    });
    const events = meetingDecider.decide(
      {
        type: 'FreezeAgenda',
        meetingId: 'm-1',
        previousMeetingId: null,
        items,
        now: new Date('2026-03-27T08:00:00.000Z'),
      },
      fold(meetingDecider, [planned]),
    );
    expect(events).toEqual([
      expect.objectContaining({ type: 'AgendaFrozen', data: expect.objectContaining({ items }) }),
    ]);
  });

  it('property: sections in order, unique ids, every item touches the meeting, urgency holds', () => {
    const department = fc.constantFrom<string>('cbu', 'chp', 'csae', 'jobcenter');
    const departments = fc.array(department, { maxLength: 3 });
    const day = fc
      .integer({ min: 0, max: 800 })
      .map((n) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
    const idOf = fc.constantFrom('1', '2', '3', '4');
    const youngPersonArb = fc.record({
      personId: idOf.map((n) => `p-${n}`),
      familyId: fc.option(idOf.map((n) => `f-${n}`)),
      sixteenthBirthday: day,
      flagCodes: fc.array(fc.constantFrom('NOT_STARTED', 'NO_ADULT_CASEWORKER'), { maxLength: 2 }),
      dueDate: fc.option(day),
      departmentIds: departments,
    });
    const input = fc.record({
      families: fc.array(
        fc.record({
          familyId: idOf.map((n) => `f-${n}`),
          needsPrimaryContactSince: day.map((d) => `${d}T10:00:00.000Z`),
          departmentIds: departments,
        }),
        { maxLength: 5 },
      ),
      youngPeople: fc.array(youngPersonArb, { maxLength: 5 }),
      transitionsWithFlags: fc.array(youngPersonArb, { maxLength: 5 }),
      overdueDuties: fc.array(
        fc.record({
          recordKind: fc.constantFrom('inquiry', 'application'),
          recordId: idOf,
          caseId: fc.constant(null),
          personId: fc.constant(null),
          familyId: fc.option(idOf.map((n) => `f-${n}`)),
          flagCodes: fc.array(fc.constantFrom('A', 'B'), { maxLength: 2 }),
          dueDate: day,
          departmentIds: departments,
        }),
        { maxLength: 5 },
      ),
      openAgreements: fc.array(
        fc.record({
          agreementId: idOf.map((n) => `a-${n}`),
          meetingId: fc.constant('m-0'),
          familyId: fc.constant(null),
          personId: fc.constant(null),
          dueDate: day,
          overdue: fc.boolean(),
          departmentIds: departments,
        }),
        { maxLength: 5 },
      ),
      previousCutOffAt: fc.option(day.map((d) => `${d}T12:00:00.000Z`)),
      today: day,
      departmentIds: fc.array(department, { minLength: 1, maxLength: 3 }),
    });

    fc.assert(
      fc.property(input, (agendaInput) => {
        const items = composeAgenda(agendaInput);
        const sectionIndex = items.map((item) => AGENDA_SECTIONS.indexOf(item.section));
        expect(sectionIndex).toEqual([...sectionIndex].sort((a, b) => a - b));
        expect(new Set(items.map((item) => item.itemId)).size).toBe(items.length);
        for (const item of items) {
          expect(item.departmentIds.some((id) => agendaInput.departmentIds.includes(id))).toBe(
            true,
          );
          expect(item.itemId).toBe(`${item.section}:${item.subject.id}`);
        }
        const youngPeople = items.filter((item) => item.subject.kind === 'young-person');
        expect(new Set(youngPeople.map((item) => item.subject.id)).size).toBe(youngPeople.length);
        for (const section of AGENDA_SECTIONS.filter((s) => s !== 'open-agreements')) {
          const dates = items
            .filter((item) => item.section === section)
            .map((item) => item.dueDate);
          const withDate = dates.filter((d): d is string => d !== null);
          expect(dates.slice(0, withDate.length)).toEqual([...withDate].sort());
        }
      }),
    );
  });
});

describe('agendaCutOffFor', () => {
  it('is the end of the day five working days before the meeting, Easter not counted', () => {
    // Tue 7 Apr 2026 ← Easter Monday, Good Friday, Maundy Thursday skipped → Thu 26 Mar (CET).
    expect(agendaCutOffFor('2026-04-07').toISOString()).toBe('2026-03-26T22:59:59.999Z');
  });

  it('skips Whit Monday and ends the day in summer time', () => {
    expect(agendaCutOffFor('2026-05-26').toISOString()).toBe('2026-05-18T21:59:59.999Z');
  });

  it('skips Christmas Day, and Christmas Eve where the municipality closes', () => {
    expect(agendaCutOffFor('2026-12-29').toISOString()).toBe('2026-12-21T22:59:59.999Z');
    const closed = {
      ...DEFAULT_AGENDA_RULES,
      calendar: { alsoClosedEveryYear: CUSTOMARY_CLOSED_DAYS },
    };
    expect(agendaCutOffFor('2026-12-29', closed).toISOString()).toBe('2026-12-18T22:59:59.999Z');
  });

  it('with zero days it is the end of the meeting day', () => {
    const rules = { ...DEFAULT_AGENDA_RULES, agendaCutOffWorkingDays: 0 };
    expect(agendaCutOffFor('2026-04-07', rules).toISOString()).toBe('2026-04-07T21:59:59.999Z');
  });
});
