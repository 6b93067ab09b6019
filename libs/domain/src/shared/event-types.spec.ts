import type { CaseEvent } from '../cases/case.events';
import { eventUnion, type EventHandlers, type EventTypeRecord } from './event-types';

// Compile-time fixtures: `npm run typecheck` fails if any of these stops being an error.
// @ts-expect-error a type set that leaves out one of the union's types does not compile
const missing: EventTypeRecord<CaseEvent> = {
  CaseOpened: true,
  CaseworkerAssigned: true,
  CaseworkerChanged: true,
  CitizenToldOfCaseworkerChange: true,
};

const extra: EventTypeRecord<CaseEvent> = {
  CaseOpened: true,
  CaseworkerAssigned: true,
  CaseworkerChanged: true,
  CitizenToldOfCaseworkerChange: true,
  CaseClosed: true,
  // @ts-expect-error nor one naming a type the union does not have
  CaseReopened: true,
};

// @ts-expect-error a projector's handlers that forget one event type do not compile
const forgetful: EventHandlers<CaseEvent, string> = {
  CaseOpened: (event) => event.data.openedAt,
  CaseworkerAssigned: (event) => event.data.assignedAt,
  CaseworkerChanged: (event) => event.data.changedAt,
  CitizenToldOfCaseworkerChange: (event) => event.data.toldAt,
};

describe('event unions', () => {
  const cases = eventUnion<CaseEvent>({
    CaseOpened: true,
    CaseworkerAssigned: true,
    CaseworkerChanged: true,
    CitizenToldOfCaseworkerChange: true,
    CaseClosed: true,
  });

  it('know every type of the union and nothing else', () => {
    expect([...cases.types].sort()).toEqual([
      'CaseClosed',
      'CaseOpened',
      'CaseworkerAssigned',
      'CaseworkerChanged',
      'CitizenToldOfCaseworkerChange',
    ]);
    expect(Object.keys(missing)).toHaveLength(4);
    expect(Object.keys(extra)).toHaveLength(6);
    expect(Object.keys(forgetful)).toHaveLength(4);
  });

  it('accept a stored event of a known type with object data, and refuse the rest', () => {
    expect(
      cases.is({ type: 'CaseClosed', data: { caseId: 'c', reason: 'r', closedAt: 'x' } }),
    ).toBe(true);
    expect(cases.is({ type: 'CaseReopened', data: {} })).toBe(false);
    expect(cases.is({ type: 'CaseClosed', data: null })).toBe(false);
  });
});
