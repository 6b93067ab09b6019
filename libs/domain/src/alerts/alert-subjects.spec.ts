import type { CoordinationFlag } from '../coordination/coordination-flags';
import { transitionFlags, emptyTransitionFacts } from '../transitions/transition-flags';
import {
  coordinationAlertFlags,
  transitionAlertFlags,
  type CoordinationHolders,
} from './alert-subjects';

const holders: CoordinationHolders = {
  caseOf: (caseId) =>
    caseId === 'case-1'
      ? { caseworkerId: 'cw-new', departmentId: 'CBU', personId: 'p-1' }
      : caseId === 'case-2'
        ? { caseworkerId: null, departmentId: 'CHP', personId: 'p-2' }
        : undefined,
  departmentOfCaseworker: (id) => (id === 'cw-contact' ? 'CHP' : undefined),
};

const flag = (
  over: Partial<CoordinationFlag> & Pick<CoordinationFlag, 'code'>,
): CoordinationFlag => ({
  subjectId: 'family-1',
  since: '2026-12-01T09:00:00.000Z',
  eventIds: ['e1'],
  departmentIds: ['CBU', 'CHP'],
  details: {},
  ...over,
});

const now = new Date('2026-12-07T10:00:00.000Z');

describe('coordination flags as alerts', () => {
  it('sends a missing primary contact to every department desk, one alert each', () => {
    const { flags } = coordinationAlertFlags(
      'family-1',
      [flag({ code: 'MISSING_PRIMARY_CONTACT' })],
      holders,
      now,
    );
    expect(flags.map((f) => [f.partId, f.responsible])).toEqual([
      ['CBU', { role: 'department', departmentId: 'CBU', caseworkerId: null }],
      ['CHP', { role: 'department', departmentId: 'CHP', caseworkerId: null }],
    ]);
    expect(flags.every((f) => f.subject.kind === 'family' && f.subject.id === 'family-1')).toBe(
      true,
    );
  });

  it("sends a case's untold change to its caseworker, or its department's desk, and a handover to the new primary contact", () => {
    const untold = (subjectId: string) =>
      flag({ code: 'CASEWORKER_CHANGE_NOT_TOLD', subjectId, details: { change: 'caseworker' } });
    const { flags } = coordinationAlertFlags(
      'family-1',
      [
        untold('case-1'),
        untold('case-2'),
        untold('case-gone'),
        flag({
          code: 'CASEWORKER_CHANGE_NOT_TOLD',
          details: { change: 'primary-contact', caseworkerId: 'cw-contact' },
        }),
      ],
      holders,
      now,
    );
    expect(flags.map((f) => [f.subject, f.responsible, f.severity])).toEqual([
      [
        { kind: 'case', id: 'case-1' },
        { role: 'caseworker', departmentId: 'CBU', caseworkerId: 'cw-new' },
        'overdue',
      ],
      [
        { kind: 'case', id: 'case-2' },
        { role: 'department', departmentId: 'CHP', caseworkerId: null },
        'overdue',
      ],
      [
        { kind: 'family', id: 'family-1' },
        { role: 'primary-contact', departmentId: 'CHP', caseworkerId: 'cw-contact' },
        'overdue',
      ],
    ]);
  });

  it('holds a flag from its since; a later since is the next moment time changes the flags', () => {
    const later = '2026-12-09T22:59:59.999Z';
    const judged = coordinationAlertFlags(
      'family-1',
      [
        flag({ code: 'CASEWORKER_CHANGE_NOT_TOLD', subjectId: 'case-1', since: later }),
        flag({
          code: 'CASEWORKER_CHANGE_NOT_TOLD',
          subjectId: 'case-2',
          since: '2026-12-20T00:00:00.000Z',
        }),
      ],
      holders,
      now,
    );
    expect(judged.flags).toEqual([]);
    expect(judged.nextDueAt?.toISOString()).toBe(later);
  });
});

describe('transition flags as alerts', () => {
  it('go to the youth unit, holding from the day after the due date', () => {
    const youthUnit = {
      role: 'youth-unit',
      departmentId: 'UNGEENHEDEN',
      caseworkerId: null,
    } as const;
    const flags = transitionAlertFlags(
      'p-1',
      transitionFlags(emptyTransitionFacts('p-1'), '2010-10-28', '2026-12-07'),
      youthUnit,
      now,
    );
    expect(flags).toEqual([
      expect.objectContaining({
        code: 'NOT_STARTED',
        due: '2026-11-27',
        since: '2026-11-27T23:00:00.000Z',
        subject: { kind: 'transition', id: 'p-1' },
        personId: 'p-1',
        responsible: youthUnit,
      }),
    ]);
  });
});
