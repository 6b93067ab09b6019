import { checkpointHint, type WalCounters } from './postgres-wal';

const counters = (checkpointsRequested: number, walBytes: number): WalCounters => ({
  walBytes,
  fullPageImages: 0,
  checkpointsTimed: 4,
  checkpointsRequested,
  maxWalSizeBytes: 1024 * 2 ** 20,
  blockSizeBytes: 8192,
});

describe('checkpointHint', () => {
  it('says nothing without counters, or for fewer than three checkpoints asked for', () => {
    expect(checkpointHint(null, counters(40, 0))).toBeNull();
    expect(checkpointHint(counters(0, 0), null)).toBeNull();
    expect(checkpointHint(counters(5, 0), counters(7, 3 * 2 ** 30))).toBeNull();
  });

  it('tells how many, how much WAL and the max_wal_size, and what to raise', () => {
    const hint = checkpointHint(counters(1, 2 ** 30), counters(37, 21 * 2 ** 30));
    expect(hint).toContain('checkpointed 36 times for WAL volume');
    expect(hint).toContain('20480 MB of WAL, max_wal_size 1024 MB');
    expect(hint).toContain('EMBEDDED_PG_MAX_WAL_SIZE_MB');
  });
});
