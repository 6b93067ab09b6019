import { AdaptiveBatchSize } from './adaptive-batch-size';

describe('AdaptiveBatchSize', () => {
  it('halves while batches run over twice the target and get faster, and doubles when quick', () => {
    const size = new AdaptiveBatchSize(500, 8000, 500);
    size.record(8000, 2400);
    expect(size.value).toBe(4000);
    size.record(4000, 1200);
    expect(size.value).toBe(2000);
    size.record(2000, 600); // near the target: stays
    expect(size.value).toBe(2000);
    size.record(2000, 200);
    expect(size.value).toBe(4000);
  });

  it('goes back when halving did not make batches faster, and stays there until a batch is quick', () => {
    const size = new AdaptiveBatchSize(500, 8000, 500);
    size.record(8000, 2000);
    expect(size.value).toBe(4000);
    size.record(4000, 1900); // half the events, nearly the same time: the size is not the cause
    expect(size.value).toBe(8000);
    size.record(8000, 2100);
    expect(size.value).toBe(8000);
    size.record(8000, 200);
    expect(size.value).toBe(8000); // at the most already
    size.record(8000, 2400); // quick once since: halving may be tried again
    expect(size.value).toBe(4000);
  });

  it('never goes below the live size nor above the catch-up size, and ignores short batches', () => {
    const size = new AdaptiveBatchSize(500, 2000, 500);
    size.record(2000, 5000);
    size.record(1000, 2000);
    size.record(500, 900);
    expect(size.value).toBe(500);
    size.record(100, 10); // a short batch (the log's end) says little
    expect(size.value).toBe(500);
    for (let i = 0; i < 5; i++) size.record(size.value, 10);
    expect(size.value).toBe(2000);
  });
});
