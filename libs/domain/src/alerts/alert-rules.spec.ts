import { foldInquiryFacts, inquiryFlags, type IdentifiedInquiryEvent } from '../inquiries';
import { startOfCopenhagenDay } from '../shared/copenhagen-time';
import {
  alertKey,
  escalationDeadline,
  flagChanges,
  nextChangeMoment,
  responsibleFor,
  type HeldFlag,
} from './alert-rules';

const flag = (code: string, due: string, partId: string | null = null): HeldFlag => ({
  code,
  partId,
  due,
  severity: 'overdue',
  rule: 'a rule',
});

const received: IdentifiedInquiryEvent = {
  id: 'e1',
  type: 'InquiryReceived',
  data: {
    inquiryId: 'i1',
    personId: 'p1',
    departmentId: 'CBU',
    caseId: null,
    channel: 'e-mail',
    receivedAt: '2026-12-01T09:00:00.000Z',
  },
};

const inquiryFlagsAt =
  (events: IdentifiedInquiryEvent[]) =>
  (moment: Date): HeldFlag[] => {
    const facts = foldInquiryFacts('i1', events);
    return facts === null
      ? []
      : inquiryFlags(facts, moment, { acknowledgeWithinHours: 48 }).map((f) => ({
          code: f.code,
          partId: null,
          due: f.code === 'ACK_OVERDUE' ? f.dueAt : f.dueDate,
          severity: f.severity,
          rule: f.rule,
        }));
  };

describe('flag changes', () => {
  it('tells the flags that started and stopped, by code, part and due moment', () => {
    const before = [flag('A', '2026-12-01'), flag('B', '2026-12-02', 'x')];
    const after = [
      flag('B', '2026-12-02', 'x'),
      flag('B', '2026-12-02', 'y'),
      flag('A', '2026-12-05'),
    ];
    const { started, stopped } = flagChanges(before, after);
    expect(started.map((f) => `${f.code}${f.partId ?? ''}${f.due}`)).toEqual([
      'By2026-12-02',
      'A2026-12-05',
    ]);
    expect(stopped.map((f) => f.due)).toEqual(['2026-12-01']);
  });

  it('keys differ by transition and due moment, and are equal for the same change', () => {
    const key = (transition: 'raised' | 'stopped', due: string) =>
      alertKey({
        transition,
        subjectKind: 'inquiry',
        subjectId: 'i1',
        flag: flag('ACK_OVERDUE', due),
      });
    expect(key('raised', 'd1')).toBe(key('raised', 'd1'));
    expect(new Set([key('raised', 'd1'), key('stopped', 'd1'), key('raised', 'd2')]).size).toBe(3);
  });

  it('makes the caseworker responsible when the case has one, else the department', () => {
    expect(responsibleFor({ caseworkerId: 'c1', departmentId: 'CBU' }).role).toBe('caseworker');
    expect(responsibleFor({ caseworkerId: null, departmentId: 'CBU' })).toEqual({
      role: 'department',
      departmentId: 'CBU',
      caseworkerId: null,
    });
  });
});

describe('the next moment a subject changes by time', () => {
  it('is just after the acknowledgement deadline for an unacknowledged inquiry', () => {
    const next = nextChangeMoment(inquiryFlagsAt([received]), new Date('2026-12-01T10:00:00Z'));
    expect(next?.toISOString()).toBe('2026-12-03T09:00:00.001Z');
  });

  it('is the Danish midnight after the promised day once acknowledged', () => {
    const acknowledged: IdentifiedInquiryEvent = {
      id: 'e2',
      type: 'InquiryAcknowledged',
      data: {
        inquiryId: 'i1',
        channel: 'e-mail',
        acknowledgedAt: '2026-12-01T12:00:00.000Z',
        answerPromisedBy: '2026-12-10',
      },
    };
    const next = nextChangeMoment(
      inquiryFlagsAt([received, acknowledged]),
      new Date('2026-12-01T13:00:00Z'),
    );
    expect(next).toEqual(startOfCopenhagenDay('2026-12-11'));
  });

  it('is null when only an event can change the flags', () => {
    const answered: IdentifiedInquiryEvent = {
      id: 'e3',
      type: 'InquiryAnswered',
      data: { inquiryId: 'i1', channel: 'e-mail', answeredAt: '2026-12-01T12:00:00.000Z' },
    };
    expect(nextChangeMoment(inquiryFlagsAt([received, answered]), new Date('2026-12-02'))).toBe(
      null,
    );
  });
});

describe('escalation', () => {
  it('counts Danish working days, skipping a weekend and a public holiday', () => {
    // Raised on Thursday 2 April 2026 (Maundy Thursday is itself a holiday); Good Friday and
    // Easter Monday are holidays: 2 working days run Tue 7 and Wed 8 April.
    const deadline = escalationDeadline(new Date('2026-04-02T08:00:00Z'), 2);
    expect(deadline.toISOString()).toBe('2026-04-08T21:59:59.999Z');
  });
});
