import { fold } from '../shared/decider';
import { specFor } from '../shared/given-when-then';
import type {
  AnswerFileAccess,
  FileAccessCommand,
  RequestFileAccess,
  SendFileAccessDelayLetter,
} from './file-access.commands';
import { FILE_ACCESS_ERRORS, fileAccessDecider } from './file-access.decider';
import {
  FILE_ACCESS_EVENT_TYPES,
  fileAccessStream,
  type FileAccessDelayReason,
  type FileAccessEvent,
  type FileAccessOutcome,
} from './file-access.events';

const requestId = 'fa-1';
// Received Monday 30 March 2026, 10:00 in Copenhagen. Easter: 2, 3 and 6 April are holidays,
// so the 7th working day after the receipt is Monday 13 April.
const receivedAt = new Date('2026-03-30T08:00:00.000Z');
const now = new Date('2026-04-10T10:00:00.000Z');
const later = new Date(now.getTime() + 1);

const request: RequestFileAccess = {
  type: 'RequestFileAccess',
  requestId,
  personId: 'p-1',
  departmentId: 'dept-cbu',
  caseId: 'case-1',
  channel: 'e-mail',
  receivedAt,
  now,
};
const requested: FileAccessEvent = {
  type: 'FileAccessRequested',
  data: {
    requestId,
    personId: 'p-1',
    departmentId: 'dept-cbu',
    caseId: 'case-1',
    channel: 'e-mail',
    receivedAt: receivedAt.toISOString(),
  },
};

const delay: SendFileAccessDelayLetter = {
  type: 'SendFileAccessDelayLetter',
  requestId,
  channel: 'digital-post',
  reason: 'third-party-hearing',
  expectedBy: '2026-04-14',
  now,
};
const delayed = (expectedBy: string, sentAt = now.toISOString()): FileAccessEvent => ({
  type: 'FileAccessDelayLetterSent',
  data: { requestId, channel: 'digital-post', sentAt, reason: 'third-party-hearing', expectedBy },
});

const answer: AnswerFileAccess = {
  type: 'AnswerFileAccess',
  requestId,
  outcome: 'partly-granted',
  channel: 'digital-post',
  now,
};
const answered: FileAccessEvent = {
  type: 'FileAccessAnswered',
  data: {
    requestId,
    outcome: 'partly-granted',
    channel: 'digital-post',
    answeredAt: now.toISOString(),
  },
};

const spec = specFor(fileAccessDecider);
const testedCodes = new Set<string>();

function refuses(past: readonly FileAccessEvent[], command: FileAccessCommand, code: string) {
  testedCodes.add(code);
  spec.given(past).when(command).thenThrows(code);
}

describe('file-access decider', () => {
  it('lives on the stream file-access-<requestId> and names its event types', () => {
    expect(fileAccessStream('fa-1')).toBe('file-access-fa-1');
    expect(FILE_ACCESS_EVENT_TYPES.size).toBe(3);
    expect(FILE_ACCESS_EVENT_TYPES.has('FileAccessDelayLetterSent')).toBe(true);
  });

  describe('RequestFileAccess', () => {
    it('records the request; the receipt defaults to now; a request may name no case', () => {
      spec.given([]).when(request).then([requested]);
      spec
        .given([])
        .when({ ...request, receivedAt: undefined, caseId: null })
        .then([
          {
            type: 'FileAccessRequested',
            data: { ...requested.data, caseId: null, receivedAt: now.toISOString() },
          },
        ]);
    });

    it('is received once', () => {
      refuses([requested], request, FILE_ACCESS_ERRORS.alreadyExists);
    });

    it('refuses missing ids, an unknown channel, a receipt in the future or an invalid one', () => {
      refuses([], { ...request, personId: '' }, FILE_ACCESS_ERRORS.missingId);
      refuses([], { ...request, departmentId: ' ' }, FILE_ACCESS_ERRORS.missingId);
      refuses([], { ...request, caseId: '' }, FILE_ACCESS_ERRORS.missingId);
      refuses(
        [],
        { ...request, channel: 'fax' as RequestFileAccess['channel'] },
        FILE_ACCESS_ERRORS.unknownChannel,
      );
      refuses([], { ...request, receivedAt: later }, FILE_ACCESS_ERRORS.inTheFuture);
      refuses([], { ...request, receivedAt: new Date('x') }, FILE_ACCESS_ERRORS.invalidTime);
    });
  });

  describe('SendFileAccessDelayLetter', () => {
    it('records a letter promising a date after the normal deadline (13 April, after Easter)', () => {
      spec
        .given([requested])
        .when(delay)
        .then([delayed('2026-04-14')]);
    });

    it('refuses a promised date on or before the deadline, counted across Easter', () => {
      // Without the Easter holidays the deadline would be Wednesday 8 April.
      refuses(
        [requested],
        { ...delay, expectedBy: '2026-04-13' },
        FILE_ACCESS_ERRORS.expectedByTooEarly,
      );
      refuses(
        [requested],
        { ...delay, expectedBy: '2026-04-09' },
        FILE_ACCESS_ERRORS.expectedByTooEarly,
      );
    });

    it("computes the deadline with the command's rules", () => {
      // 10 working days after 30 March: 16 April.
      const tenDays = { ...delay, rules: { answerWithinWorkingDays: 10 } };
      refuses([requested], tenDays, FILE_ACCESS_ERRORS.expectedByTooEarly);
      spec
        .given([requested])
        .when({ ...tenDays, expectedBy: '2026-04-17' })
        .then([delayed('2026-04-17')]);
    });

    it('a further letter must promise a later date than the one before', () => {
      const past = [requested, delayed('2026-04-20')];
      refuses(past, { ...delay, expectedBy: '2026-04-20' }, FILE_ACCESS_ERRORS.expectedByTooEarly);
      refuses(past, { ...delay, expectedBy: '2026-04-15' }, FILE_ACCESS_ERRORS.expectedByTooEarly);
      spec
        .given(past)
        .when({ ...delay, expectedBy: '2026-04-21' })
        .then([delayed('2026-04-21')]);
      expect(fold(fileAccessDecider, [...past, delayed('2026-04-21')])).toMatchObject({
        status: 'open',
        expectedBy: '2026-04-21',
      });
    });

    it('a late letter may be recorded, but not promise a date before the day it is sent', () => {
      const lateNow = new Date('2026-04-20T08:00:00.000Z');
      refuses(
        [requested],
        { ...delay, expectedBy: '2026-04-17', now: lateNow },
        FILE_ACCESS_ERRORS.expectedByTooEarly,
      );
      spec
        .given([requested])
        .when({ ...delay, expectedBy: '2026-04-20', now: lateNow })
        .then([delayed('2026-04-20', lateNow.toISOString())]);
    });

    it('refuses a letter before the receipt, in the future, or with a bad date or reason', () => {
      refuses(
        [requested],
        { ...delay, sentAt: new Date(receivedAt.getTime() - 1) },
        FILE_ACCESS_ERRORS.beforeReceipt,
      );
      refuses([requested], { ...delay, sentAt: later }, FILE_ACCESS_ERRORS.inTheFuture);
      refuses(
        [requested],
        { ...delay, expectedBy: '2026-04-31' },
        FILE_ACCESS_ERRORS.invalidExpectedBy,
      );
      refuses(
        [requested],
        { ...delay, reason: 'busy' as FileAccessDelayReason },
        FILE_ACCESS_ERRORS.unknownReason,
      );
    });

    it('refuses a letter on an unknown or answered request', () => {
      refuses([], delay, FILE_ACCESS_ERRORS.notFound);
      refuses([requested, answered], delay, FILE_ACCESS_ERRORS.alreadyAnswered);
    });
  });

  describe('AnswerFileAccess', () => {
    it('answers an open request, also after a delay letter', () => {
      spec.given([requested]).when(answer).then([answered]);
      spec
        .given([requested, delayed('2026-04-14')])
        .when(answer)
        .then([answered]);
    });

    it('answers once', () => {
      refuses([requested, answered], answer, FILE_ACCESS_ERRORS.alreadyAnswered);
    });

    it('refuses an unknown request, an answer before receipt or in the future', () => {
      refuses([], answer, FILE_ACCESS_ERRORS.notFound);
      refuses(
        [requested],
        { ...answer, answeredAt: new Date('2026-03-30T07:59:59.999Z') },
        FILE_ACCESS_ERRORS.beforeReceipt,
      );
      refuses([requested], { ...answer, answeredAt: later }, FILE_ACCESS_ERRORS.inTheFuture);
    });

    it('refuses an unknown outcome or channel', () => {
      refuses(
        [requested],
        { ...answer, outcome: 'maybe' as FileAccessOutcome },
        FILE_ACCESS_ERRORS.unknownOutcome,
      );
      refuses(
        [requested],
        { ...answer, channel: 'fax' as AnswerFileAccess['channel'] },
        FILE_ACCESS_ERRORS.unknownChannel,
      );
    });
  });

  it('every error code is exercised', () => {
    expect([...testedCodes].sort()).toEqual(Object.values(FILE_ACCESS_ERRORS).sort());
  });
});
