import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { describeEventStoreContract } from '../contract/event-store.contract';
import { WrongExpectedRevisionError } from '../event-store.port';
import {
  KurrentDbEventStore,
  toActualRevision,
  toPortAppendError,
  toRecordedEvent,
  toStreamState,
  toStringProperties,
  type KurrentRecordedEventLike,
} from './kurrentdb-event-store';

const url = process.env.KURRENTDB_URL;

if (url) {
  describeEventStoreContract(
    'KurrentDB',
    async () => {
      const store = KurrentDbEventStore.connect(url);
      // Fails the suite up front with the connection error rather than in every test.
      await store.ping();
      return { store, dispose: () => store.close() };
    },
    { commitsOutOfOrder: false, readsInStreamOrder: false },
  );
} else {
  const reason =
    'skipped: KURRENTDB_URL is not set (point it at a KurrentDB server to run this suite, ' +
    'e.g. KURRENTDB_URL=kurrentdb://localhost:2113?tls=false; see infra/README.md)';
  console.info(`KurrentDB event store contract suite ${reason}`);
  describe('KurrentDB event store contract', () => {
    it.skip(reason, () => undefined);
  });
}

describe('KurrentDB adapter without a server', () => {
  describe('expected revision → client stream state', () => {
    it.each([
      ['any', ANY],
      ['no_stream', NO_STREAM],
      ['stream_exists', STREAM_EXISTS],
    ] as const)('%s', (expected, state) => {
      expect(toStreamState(expected)).toBe(state);
    });

    it('an exact revision becomes a bigint', () => {
      expect(toStreamState(0)).toBe(0n);
      expect(toStreamState(41)).toBe(41n);
    });

    it('refuses revisions that are not non-negative integers', () => {
      expect(() => toStreamState(-1)).toThrow(RangeError);
      expect(() => toStreamState(1.5)).toThrow(RangeError);
    });
  });

  describe('client errors → port errors', () => {
    it('maps a wrong expected version with a current revision', () => {
      const error = new WrongExpectedVersionError(undefined, {
        streamName: 'case-1',
        expected: 0n,
        current: 3n,
      });
      const mapped = toPortAppendError(error, 'case-1', 0);
      expect(mapped).toBeInstanceOf(WrongExpectedRevisionError);
      expect(mapped).toMatchObject({ streamId: 'case-1', expected: 0, actual: 3 });
    });

    it("maps a missing stream to 'no_stream'", () => {
      const error = new WrongExpectedVersionError(undefined, {
        streamName: 'case-2',
        expected: STREAM_EXISTS,
        current: NO_STREAM,
      });
      expect(toPortAppendError(error, 'case-2', 'stream_exists')).toMatchObject({
        expected: 'stream_exists',
        actual: 'no_stream',
      });
      expect(toActualRevision(-1n)).toBe('no_stream');
    });

    it('passes other errors through untouched', () => {
      const other = new Error('unavailable');
      expect(toPortAppendError(other, 'case-3', 'any')).toBe(other);
    });
  });

  describe('recorded event mapping', () => {
    const base: KurrentRecordedEventLike = {
      id: '8d3f6e2a-0000-4000-8000-000000000001',
      streamId: 'case-1',
      revision: 2n,
      type: 'CaseOpened',
      created: new Date('2025-01-02T03:04:05.000Z'),
      data: { caseId: 'c-1' },
      metadata: { actor: 'caseworker:7' },
      position: { commit: 1200n, prepare: 1100n },
    };

    it('converts revisions to numbers and keeps positions as bigints', () => {
      expect(toRecordedEvent(base)).toEqual({
        id: base.id,
        streamId: 'case-1',
        revision: 2,
        type: 'CaseOpened',
        data: { caseId: 'c-1' },
        metadata: { actor: 'caseworker:7' },
        position: { commit: 1200n, prepare: 1100n },
        recordedAt: new Date('2025-01-02T03:04:05.000Z'),
      });
    });

    it('gives events without metadata an empty object and wraps non-object data', () => {
      const mapped = toRecordedEvent({ ...base, metadata: undefined, data: 'text' });
      expect(mapped.metadata).toEqual({});
      expect(mapped.data).toEqual({ value: 'text' });
    });

    it('metadata sent as string properties (multi-stream append) reads back whole', () => {
      const metadata = { actor: 'caseworker:7', actorRoles: ['caseworker'], attempt: 2 };
      const properties = toStringProperties(metadata);
      expect(Object.values(properties).every((value) => typeof value === 'string')).toBe(true);
      expect(properties.actor).toBe('caseworker:7');
      expect(toRecordedEvent({ ...base, metadata: properties }).metadata).toEqual(metadata);
    });

    it('refuses an event without a log position', () => {
      expect(() => toRecordedEvent({ ...base, position: undefined })).toThrow(/log position/);
    });
  });
});
