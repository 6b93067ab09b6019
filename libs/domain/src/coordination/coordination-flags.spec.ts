import {
  activeFlags,
  coordinationFlags,
  DEFAULT_COORDINATION_RULES,
  type WorkingDayDeadline,
} from './coordination-flags';
import { foldFamilyFacts, type IdentifiedEvent } from './coordination-history';

// Plain calendar days keep these specs about the flags; the working-day rule has its own specs.
const plusDays: WorkingDayDeadline = (from, days) => new Date(from.getTime() + days * 86_400_000);
const F = 'fam-1';
let n = 0;
const id = (): string => `e${String(++n).padStart(3, '0')}`;
const t = (day: number): string => new Date(Date.UTC(2026, 2, day, 9)).toISOString();

const registered = (): IdentifiedEvent => ({
  id: id(),
  type: 'FamilyRegistered',
  data: { familyId: F, registeredAt: t(1) },
});
const member = (personId: string, day = 1): IdentifiedEvent => ({
  id: id(),
  type: 'FamilyMemberAdded',
  data: { familyId: F, personId, role: 'child', addedAt: t(day) },
});
const opened = (
  caseId: string,
  personId: string,
  departmentId: string,
  day: number,
): IdentifiedEvent => ({
  id: id(),
  type: 'CaseOpened',
  data: { caseId, personId, departmentId, caseType: 'support', openedAt: t(day) },
});
const flagsOf = (events: IdentifiedEvent[], rules = DEFAULT_COORDINATION_RULES) =>
  coordinationFlags(foldFamilyFacts(F, events).facts, rules, plusDays);

describe('coordination flags', () => {
  it('MISSING_PRIMARY_CONTACT: open cases in two departments and no primary contact, naming the events', () => {
    const first = opened('c1', 'p1', 'CBU', 3);
    const second = opened('c2', 'p2', 'CHP', 5);
    const events = [registered(), member('p1'), member('p2'), first, second];
    const [flag] = flagsOf(events);
    expect(flag).toMatchObject({
      code: 'MISSING_PRIMARY_CONTACT',
      subjectId: F,
      since: t(5),
      departmentIds: ['CBU', 'CHP'],
    });
    expect(flag?.eventIds).toEqual(expect.arrayContaining([first.id, second.id]));
  });

  it('one department and one caseworker need no primary contact; the thresholds are configuration', () => {
    const events = [
      registered(),
      member('p1'),
      opened('c1', 'p1', 'CBU', 3),
      opened('c2', 'p1', 'CBU', 4),
    ];
    expect(flagsOf(events)).toEqual([]);
    expect(
      flagsOf(events, { ...DEFAULT_COORDINATION_RULES, minDepartmentsForPrimaryContact: 1 }),
    ).toHaveLength(1);
  });

  it('two caseworkers in one department also need a primary contact', () => {
    const events: IdentifiedEvent[] = [
      registered(),
      member('p1'),
      member('p2'),
      opened('c1', 'p1', 'CBU', 3),
      opened('c2', 'p2', 'CBU', 3),
      {
        id: id(),
        type: 'CaseworkerAssigned',
        data: { caseId: 'c1', caseworkerId: 'cw-a', assignedAt: t(4) },
      },
      {
        id: id(),
        type: 'CaseworkerAssigned',
        data: { caseId: 'c2', caseworkerId: 'cw-b', assignedAt: t(6) },
      },
    ];
    expect(flagsOf(events)).toMatchObject([{ code: 'MISSING_PRIMARY_CONTACT', since: t(6) }]);
  });

  it('a case counts for a family from when its person joined', () => {
    const events = [
      registered(),
      member('p1'),
      opened('c1', 'p1', 'CBU', 2),
      opened('c2', 'p2', 'CHP', 3),
      member('p2', 8),
    ];
    expect(flagsOf(events)).toMatchObject([{ code: 'MISSING_PRIMARY_CONTACT', since: t(8) }]);
  });

  it('a primary contact clears it; releasing raises it again from the release', () => {
    const base = [
      registered(),
      member('p1'),
      member('p2'),
      opened('c1', 'p1', 'CBU', 3),
      opened('c2', 'p2', 'CHP', 5),
    ];
    const assigned: IdentifiedEvent = {
      id: id(),
      type: 'PrimaryContactAssigned',
      data: { familyId: F, caseworkerId: 'cw-a', assignedAt: t(6) },
    };
    expect(flagsOf([...base, assigned])).toEqual([]);
    const released: IdentifiedEvent = {
      id: id(),
      type: 'PrimaryContactReleased',
      data: { familyId: F, caseworkerId: 'cw-a', reason: 'x', releasedAt: t(9) },
    };
    const [flag] = flagsOf([...base, assigned, released]);
    expect(flag).toMatchObject({ code: 'MISSING_PRIMARY_CONTACT', since: t(9) });
    expect(flag?.eventIds).toContain(released.id);
  });

  it('closing a case can end the need', () => {
    const events: IdentifiedEvent[] = [
      registered(),
      member('p1'),
      member('p2'),
      opened('c1', 'p1', 'CBU', 3),
      opened('c2', 'p2', 'CHP', 5),
      { id: id(), type: 'CaseClosed', data: { caseId: 'c2', reason: 'done', closedAt: t(7) } },
    ];
    expect(flagsOf(events)).toEqual([]);
  });

  it('PRIMARY_CONTACT_INACTIVE while the holder is deactivated', () => {
    const assigned: IdentifiedEvent = {
      id: id(),
      type: 'PrimaryContactAssigned',
      data: { familyId: F, caseworkerId: 'cw-a', assignedAt: t(2) },
    };
    const deactivated: IdentifiedEvent = {
      id: id(),
      type: 'CaseworkerDeactivated',
      data: { caseworkerId: 'cw-a', reason: 'left', deactivatedAt: t(4) },
    };
    expect(flagsOf([registered(), assigned, deactivated])).toMatchObject([
      {
        code: 'PRIMARY_CONTACT_INACTIVE',
        since: t(4),
        eventIds: [assigned.id, deactivated.id].sort(),
      },
    ]);
    const back: IdentifiedEvent = {
      id: id(),
      type: 'CaseworkerReactivated',
      data: { caseworkerId: 'cw-a', reactivatedAt: t(6) },
    };
    expect(flagsOf([registered(), assigned, deactivated, back])).toEqual([]);
  });

  it('CASEWORKER_CHANGE_NOT_TOLD becomes active when the notice deadline passes, and clears when told', () => {
    const changed: IdentifiedEvent = {
      id: id(),
      type: 'CaseworkerChanged',
      data: {
        caseId: 'c1',
        fromCaseworkerId: 'cw-a',
        toCaseworkerId: 'cw-b',
        reason: 'leave',
        changedAt: t(10),
      },
    };
    const events: IdentifiedEvent[] = [
      registered(),
      member('p1'),
      opened('c1', 'p1', 'CBU', 3),
      {
        id: id(),
        type: 'CaseworkerAssigned',
        data: { caseId: 'c1', caseworkerId: 'cw-a', assignedAt: t(3) },
      },
      changed,
    ];
    const flags = flagsOf(events);
    expect(flags).toMatchObject([
      { code: 'CASEWORKER_CHANGE_NOT_TOLD', subjectId: 'c1', since: t(15), eventIds: [changed.id] },
    ]);
    expect(activeFlags(flags, new Date(t(14)))).toEqual([]);
    expect(activeFlags(flags, new Date(t(15)))).toHaveLength(1);
    const told: IdentifiedEvent = {
      id: id(),
      type: 'CitizenToldOfCaseworkerChange',
      data: { caseId: 'c1', caseworkerId: 'cw-b', channel: 'letter', toldAt: t(16) },
    };
    expect(flagsOf([...events, told])).toEqual([]);
  });

  it('a primary-contact handover not told raises the same flag on the family', () => {
    const events: IdentifiedEvent[] = [
      registered(),
      {
        id: id(),
        type: 'PrimaryContactAssigned',
        data: { familyId: F, caseworkerId: 'cw-a', assignedAt: t(2) },
      },
      {
        id: id(),
        type: 'PrimaryContactHandedOver',
        data: {
          familyId: F,
          fromCaseworkerId: 'cw-a',
          toCaseworkerId: 'cw-b',
          reason: 'x',
          handedOverAt: t(3),
        },
      },
    ];
    expect(flagsOf(events)).toMatchObject([
      { code: 'CASEWORKER_CHANGE_NOT_TOLD', subjectId: F, since: t(8) },
    ]);
  });
});
