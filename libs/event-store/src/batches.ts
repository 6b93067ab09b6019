/**
 * Turns a stream of single items into batches of what is already waiting, so a consumer that
 * pays per batch (one read-model transaction) goes fast during catch-up and stays live after.
 * The source is paused while two batches are waiting, so a long catch-up stays in bounded memory.
 */
export async function* inBatches<T>(
  source: AsyncIterable<T>,
  batchSize: number,
  signal?: AbortSignal,
): AsyncGenerator<T[]> {
  const buffer: T[] = [];
  const highWater = batchSize * 2;
  let finished = false;
  const outcome: { failure?: Error } = {};
  let wakeConsumer: (() => void) | null = null;
  let wakeProducer: (() => void) | null = null;
  const signalConsumer = (): void => {
    const resolve = wakeConsumer;
    wakeConsumer = null;
    resolve?.();
  };
  const signalProducer = (): void => {
    const resolve = wakeProducer;
    wakeProducer = null;
    resolve?.();
  };
  const onAbort = (): void => {
    signalConsumer();
    signalProducer();
  };
  signal?.addEventListener('abort', onAbort);

  void (async () => {
    try {
      for await (const item of source) {
        buffer.push(item);
        signalConsumer();
        while (buffer.length >= highWater && !signal?.aborted) {
          await new Promise<void>((resolve) => (wakeProducer = resolve));
        }
        if (signal?.aborted) break;
      }
    } catch (error) {
      outcome.failure =
        error instanceof Error ? error : new Error(`subscription failed: ${String(error)}`);
    } finally {
      finished = true;
      signalConsumer();
    }
  })();

  try {
    while (!signal?.aborted) {
      if (buffer.length === 0) {
        if (outcome.failure) throw outcome.failure;
        if (finished) break;
        await new Promise<void>((resolve) => (wakeConsumer = resolve));
        continue;
      }
      const batch = buffer.splice(0, batchSize);
      signalProducer();
      yield batch;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    signalProducer();
  }
}
