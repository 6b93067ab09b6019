import type { DataSource } from 'typeorm';

const ATTEMPTS = 100;
const ATTEMPT_PAUSE_MS = 100;

/**
 * Runs `work` while this process holds the PostgreSQL advisory lock `key`, so of several
 * instances one does it at a time. Waits a little (runs are short) for a holder to finish;
 * null when another instance kept the lock the whole time (about 10 s).
 */
export async function whileHoldingAdvisoryLock<T>(
  dataSource: DataSource,
  key: readonly [number, number],
  work: () => Promise<T>,
): Promise<T | null> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const [lock] = (await runner.query('SELECT pg_try_advisory_lock($1, $2) AS locked', [
        ...key,
      ])) as { locked: boolean }[];
      if (lock?.locked) {
        try {
          return await work();
        } finally {
          await runner.query('SELECT pg_advisory_unlock($1, $2)', [...key]);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, ATTEMPT_PAUSE_MS));
    }
    return null;
  } finally {
    await runner.release();
  }
}
