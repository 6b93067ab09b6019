import { afterEntry } from './scoped-read.interceptor';

/** A promise settled from outside, to order the entry's commit against the handler's answer. */
function pending<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settled = async (promise: Promise<unknown>): Promise<boolean> => {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('afterEntry: a read is answered only once its access-log entry is committed', () => {
  it('holds back an answer that is ready before the entry', async () => {
    const entry = pending<void>();
    const answer = afterEntry(entry.promise, Promise.resolve('family data'));
    expect(await settled(answer)).toBe(false);
    entry.resolve();
    await expect(answer).resolves.toBe('family data');
  });

  it('holds back the handler’s error too, until the entry is committed', async () => {
    const entry = pending<void>();
    const answer = afterEntry(entry.promise, Promise.reject(new Error('not found')));
    expect(await settled(answer)).toBe(false);
    entry.resolve();
    await expect(answer).rejects.toThrow('not found');
  });

  it('answers the entry’s failure (or refusal), never the data or the handler’s error', async () => {
    const unlogged = new Error('access log unavailable');
    await expect(afterEntry(Promise.reject(unlogged), Promise.resolve('data'))).rejects.toBe(
      unlogged,
    );
    await expect(
      afterEntry(Promise.reject(unlogged), Promise.reject(new Error('not found'))),
    ).rejects.toBe(unlogged);
  });
});
