import { fold } from '../shared/decider';
import { specFor } from '../shared/given-when-then';
import type { ComplaintCommand, RegisterComplaint } from './complaint.commands';
import { COMPLAINT_ERRORS, complaintDecider } from './complaint.decider';
import {
  COMPLAINT_EVENT_TYPES,
  complaintStream,
  type ComplaintEvent,
  type ComplaintOutcome,
  type ComplaintTopic,
} from './complaint.events';

const complaintId = 'cmp-1';
const now = new Date('2026-03-30T08:00:00.000Z');
const receivedAt = new Date('2026-03-27T13:00:00.000Z');
const later = new Date('2026-03-30T08:00:00.001Z');

const register: RegisterComplaint = {
  type: 'RegisterComplaint',
  complaintId,
  departmentId: 'dept-chp',
  caseId: 'case-1',
  personId: 'p-1',
  about: 'casework',
  channel: 'digital-post',
  receivedAt,
  now,
};

const registered: ComplaintEvent = {
  type: 'ComplaintRegistered',
  data: {
    complaintId,
    departmentId: 'dept-chp',
    caseId: 'case-1',
    personId: 'p-1',
    about: 'casework',
    channel: 'digital-post',
    receivedAt: receivedAt.toISOString(),
  },
};

const resolve: ComplaintCommand = {
  type: 'ResolveComplaint',
  complaintId,
  outcome: 'partly-upheld',
  now,
};

const resolved: ComplaintEvent = {
  type: 'ComplaintResolved',
  data: { complaintId, outcome: 'partly-upheld', resolvedAt: now.toISOString() },
};

const spec = specFor(complaintDecider);
const testedCodes = new Set<string>();

function refuses(past: readonly ComplaintEvent[], command: ComplaintCommand, code: string) {
  testedCodes.add(code);
  spec.given(past).when(command).thenThrows(code);
}

describe('complaint decider', () => {
  it('lives on the stream complaint-<complaintId> and names its event types', () => {
    expect(complaintStream('cmp-1')).toBe('complaint-cmp-1');
    expect([...COMPLAINT_EVENT_TYPES].sort()).toEqual(['ComplaintRegistered', 'ComplaintResolved']);
  });

  describe('RegisterComplaint', () => {
    it('registers a complaint received earlier', () => {
      spec.given([]).when(register).then([registered]);
    });

    it('defaults the receipt to now and allows an anonymous complaint without a case', () => {
      spec
        .given([])
        .when({ ...register, receivedAt: undefined, caseId: null, personId: null, about: 'staff' })
        .then([
          {
            type: 'ComplaintRegistered',
            data: {
              ...registered.data,
              caseId: null,
              personId: null,
              about: 'staff',
              receivedAt: now.toISOString(),
            },
          },
        ]);
    });

    it('registers once', () => {
      refuses([registered], register, COMPLAINT_ERRORS.alreadyExists);
      refuses([registered, resolved], register, COMPLAINT_ERRORS.alreadyExists);
    });

    it('refuses a receipt in the future and an invalid time', () => {
      refuses([], { ...register, receivedAt: later }, COMPLAINT_ERRORS.inTheFuture);
      refuses([], { ...register, receivedAt: new Date('nope') }, COMPLAINT_ERRORS.invalidTime);
      refuses([], { ...register, now: new Date('nope') }, COMPLAINT_ERRORS.invalidTime);
    });

    it('refuses missing ids and unknown topics and channels', () => {
      refuses([], { ...register, departmentId: ' ' }, COMPLAINT_ERRORS.missingId);
      refuses([], { ...register, complaintId: '' }, COMPLAINT_ERRORS.missingId);
      refuses([], { ...register, caseId: '' }, COMPLAINT_ERRORS.missingId);
      refuses([], { ...register, personId: '' }, COMPLAINT_ERRORS.missingId);
      refuses(
        [],
        { ...register, about: 'weather' as ComplaintTopic },
        COMPLAINT_ERRORS.unknownTopic,
      );
      refuses(
        [],
        { ...register, channel: 'pigeon' as RegisterComplaint['channel'] },
        COMPLAINT_ERRORS.unknownChannel,
      );
    });
  });

  describe('ResolveComplaint', () => {
    it('resolves an open complaint, by default now', () => {
      spec.given([registered]).when(resolve).then([resolved]);
      expect(fold(complaintDecider, [registered, resolved])).toEqual({
        status: 'resolved',
        receivedAt: receivedAt.toISOString(),
        outcome: 'partly-upheld',
        resolvedAt: now.toISOString(),
      });
    });

    it('may be resolved at the very instant of receipt, not a millisecond before', () => {
      spec
        .given([registered])
        .when({ ...resolve, resolvedAt: receivedAt })
        .then([
          {
            type: 'ComplaintResolved',
            data: { ...resolved.data, resolvedAt: receivedAt.toISOString() },
          },
        ]);
      refuses(
        [registered],
        { ...resolve, resolvedAt: new Date(receivedAt.getTime() - 1) },
        COMPLAINT_ERRORS.resolvedBeforeReceived,
      );
    });

    it('refuses an unknown complaint, a second resolution and a resolution in the future', () => {
      refuses([], resolve, COMPLAINT_ERRORS.notFound);
      refuses([registered, resolved], resolve, COMPLAINT_ERRORS.alreadyResolved);
      refuses(
        [registered, resolved],
        { ...resolve, outcome: 'withdrawn' },
        COMPLAINT_ERRORS.alreadyResolved,
      );
      refuses([registered], { ...resolve, resolvedAt: later }, COMPLAINT_ERRORS.inTheFuture);
    });

    it('refuses an unknown outcome', () => {
      refuses(
        [registered],
        { ...resolve, outcome: 'ignored' as ComplaintOutcome },
        COMPLAINT_ERRORS.unknownOutcome,
      );
    });
  });

  it('every error code is exercised', () => {
    expect([...testedCodes].sort()).toEqual(Object.values(COMPLAINT_ERRORS).sort());
  });
});
