import { comparePositions, type EventStore, type Position } from '@tovholder/event-store';
import type { DataSource, EntityManager } from 'typeorm';
import { advanceCheckpoint, readCheckpoint } from './checkpoints';
import { inSchemaTransaction } from './batch-transactions';
import { describeError, ProjectionRunner, type ProjectionLogger } from './projection-runner';
import { sharedReads } from './shared-reads';
import { quoteIdent } from './sql-text';
import type { Projector } from './projector';
import type { RebuildProgress } from './rebuild';
import { catchUpInStreamOrder, planStreamOrder, type StreamOrderPlan } from './stream-order';
import { backoffMs, isTransientDatabaseError } from './transient-errors';

/** Checkpoint, lock and parked events of a projector's shadow go by this name while it is built. */
export function shadowNameOf(projector: string): string {
  return `${projector}~rebuild`;
}

function shadowSchemaOf(projector: string): string {
  return `rebuild_${projector.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`;
}

export class RebuildInProgressError extends Error {
  readonly code = 'PROJECTION.REBUILD_IN_PROGRESS';
  constructor(readonly projector: string) {
    super(`A rebuild of ${projector} is already running`);
    this.name = 'RebuildInProgressError';
  }
}

export class RebuildCancelledError extends Error {
  constructor(readonly projector: string) {
    super(`The rebuild of ${projector} was cancelled; the live read model is untouched`);
    this.name = 'RebuildCancelledError';
  }
}

export interface BlueGreenOptions {
  readonly progress?: RebuildProgress;
  readonly signal?: AbortSignal;
  readonly catchUpBatchSize?: number;
  readonly logger?: ProjectionLogger;
  /** How many times the switch may find the live version ahead before it gives up. */
  readonly switchAttempts?: number;
  /**
   * For a projector with `streamOrder`: 'auto' (the default) reads its streams stream by stream
   * up to the head where the log spreads them out (see `planStreamOrder`); 'stream' always
   * does, 'log' never.
   */
  readonly order?: 'auto' | 'stream' | 'log';
  /**
   * Whether `store` is one reader of a read shared with other rebuilds (`sharedReads`): with
   * 'auto', a projector then reads stream by stream only where the log spreads its streams out.
   */
  readonly readShared?: boolean;
  /**
   * Events parked in a row, none applied between, at which the rebuild stops as failed (the
   * projector is broken, see `ProjectorFailingError`) and the live version stays.
   */
  readonly stopAfterParkedInARow?: number;
  /** Awaited once planned, before the rebuild reads the log (see `rebuildsSideBySide`). */
  readonly planned?: () => Promise<void>;
}

/** Far more than a log's poison events in a row; at 3 tries each, about a minute of them. */
const STOP_AFTER_PARKED_IN_A_ROW = 100;

export interface BlueGreenResult {
  readonly events: number;
  /** What was read stream by stream up to the start (no groups: none), and why; null: not asked. */
  readonly streamOrder: StreamOrderPlan | null;
  /** Where the new version took over; the live runner goes on from here. */
  readonly switchedAt: Position | null;
}

/**
 * Each projector's blue/green rebuild, side by side: with several, they read each stretch of the
 * log once between them (`sharedReads`, the ones ahead waiting for those behind), and each is
 * told so (`readShared`). One promise per projector, in their order.
 */
export function rebuildsSideBySide(
  dataSource: DataSource,
  store: EventStore,
  projectors: readonly Projector[],
  optionsOf: (projector: Projector) => BlueGreenOptions = () => ({}),
): Promise<BlueGreenResult>[] {
  const shared = projectors.length > 1 ? sharedReads(store) : null;
  // Each plans (samples and counts the log) before any reads it: one that started late found
  // the window moved on past the log's start and read the whole log again alone.
  const planned = startTogether(projectors.length);
  return projectors.map((projector) => {
    const arrive = planned();
    return rebuildBlueGreen(dataSource, shared?.reader() ?? store, projector, {
      ...optionsOf(projector),
      readShared: shared !== null,
      planned: arrive,
    }).finally(() => void arrive()); // failed before planning: the others go on
  });
}

/**
 * For `parties` that start together: each gets a function that says it is ready (once, however
 * often called) and resolves when all are.
 */
function startTogether(parties: number): () => () => Promise<void> {
  let waiting = parties;
  let start = (): void => undefined;
  const all = new Promise<void>((resolve) => (start = resolve));
  return () => {
    let ready = false;
    return () => {
      if (!ready) {
        ready = true;
        waiting -= 1;
        if (waiting === 0) start();
      }
      return all;
    };
  };
}

/**
 * Builds a projector's read model anew beside the live one and switches readers over in one
 * transaction (blue/green). The shadow tables live in their own schema with the live tables'
 * columns, keys and indexes; the projector writes to them unchanged because its batches run with
 * that schema first on the search path. The live version serves and follows the log meanwhile.
 * When the shadow has caught up with the live checkpoint, one transaction drops the live tables,
 * moves the shadow's into their place and hands the shadow's checkpoint and parked events to the
 * live name; the live runner sees its checkpoint moved and goes on from there. A failed or
 * cancelled rebuild drops the shadow and leaves the live version as it was. A projector with
 * `streamOrder` is first built stream by stream up to the head at the start where the log
 * spreads its streams out (see `planStreamOrder`); if that pass fails, the shadow is emptied
 * and built in log order instead.
 */
export async function rebuildBlueGreen(
  dataSource: DataSource,
  store: EventStore,
  projector: Projector,
  options: BlueGreenOptions = {},
): Promise<BlueGreenResult> {
  const shadowName = shadowNameOf(projector.name);
  const schema = shadowSchemaOf(projector.name);
  const batchSize = options.catchUpBatchSize ?? 10_000;
  const runnerOptions = {
    name: shadowName,
    schema,
    catchUpBatchSize: batchSize,
    logger: options.logger,
    stopAfterParkedInARow: options.stopAfterParkedInARow ?? STOP_AFTER_PARKED_IN_A_ROW,
  };
  const lock = await new ProjectionRunner(dataSource, store, projector, runnerOptions).tryLock();
  if (!lock) throw new RebuildInProgressError(projector.name);
  let done = 0;
  try {
    let deferredIndexes = await prepareShadow(dataSource, projector, schema, shadowName);
    const upTo = await store.headPosition();
    const total = store.countAfter ? await store.countAfter(null, Number.MAX_SAFE_INTEGER) : null;
    options.progress?.start(total);
    const onBatch = (applied: number): void => {
      if (options.signal?.aborted) throw new RebuildCancelledError(projector.name);
      done += applied;
      options.progress?.update(done);
    };
    const order = options.order ?? 'auto';
    const plan =
      upTo && order !== 'log'
        ? await planStreamOrder(
            store,
            projector,
            upTo,
            batchSize,
            order,
            total,
            options.readShared ?? false,
          )
        : null;
    await options.planned?.();
    let streamed = plan?.groups ?? [];
    if (upTo && plan && streamed.length > 0) {
      options.logger?.log(
        `${projector.name}: reading ${streamed.flat().join(', ')} stream by stream up to the head, then on in log order`,
      );
      try {
        await catchUpInStreamOrder(dataSource, store, projector, {
          schema,
          upTo,
          groups: streamed,
          pageSize: batchSize,
          onPage: onBatch,
        });
        // Nothing is left up to `upTo`: the log order goes on from there.
        await advanceCheckpoint(dataSource.manager, shadowName, null, upTo);
        // The pass read only the projector's streams: the rest of the log up to `upTo` is done too.
        if (total !== null && store.countAfter) {
          done = Math.max(done, total - (await store.countAfter(upTo, Number.MAX_SAFE_INTEGER)));
          options.progress?.update(done);
        }
      } catch (error) {
        if (error instanceof RebuildCancelledError) throw error;
        options.logger?.warn(
          `${projector.name}: the rebuild in stream order stopped (${describeError(error)}); starting again in log order`,
        );
        deferredIndexes = await prepareShadow(dataSource, projector, schema, shadowName);
        streamed = [];
        done = 0;
        options.progress?.update(done);
      }
    }
    const runner = new ProjectionRunner(dataSource, store, projector, runnerOptions);
    for (let attempt = 1; ; attempt++) {
      // The first catch-up fills the shadow (after the pass by stream, if any): bulk, as the pass.
      await runner.catchUp(onBatch, attempt === 1);
      if (options.signal?.aborted) throw new RebuildCancelledError(projector.name);
      // Once: a retry's catch-up adds a few events, not what the planner's statistics describe.
      if (attempt === 1) {
        const completeBulk = projector.completeBulk?.bind(projector);
        if (completeBulk) await inSchemaTransaction(dataSource, schema, completeBulk);
        for (const definition of deferredIndexes) await dataSource.query(definition);
        await analyzeShadow(dataSource, projector, schema);
      }
      const switched = await trySwitch(dataSource, projector, schema, shadowName, attempt).catch(
        (error: unknown) => {
          // A reader holding a live table past the lock timeout: try again after it.
          if (isTransientDatabaseError(error) || isLockTimeout(error)) return 'retry' as const;
          throw error;
        },
      );
      if (switched !== 'retry' && switched !== 'behind') {
        return {
          events: done,
          switchedAt: switched,
          streamOrder: plan && { groups: streamed, rewritesPerEvent: plan.rewritesPerEvent },
        };
      }
      if (attempt >= (options.switchAttempts ?? 50)) {
        throw new Error(`the rebuild of ${projector.name} could not switch over; try again`);
      }
      await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt, 20, 1000)));
    }
  } catch (error) {
    await dropShadow(dataSource, schema, shadowName).catch(() => undefined);
    throw error;
  } finally {
    await lock.release();
  }
}

/**
 * An empty copy of every live table (columns, defaults, checks, keys and indexes, same names);
 * returns the definitions of the query-only indexes, which are created after loading.
 */
async function prepareShadow(
  dataSource: DataSource,
  projector: Projector,
  schema: string,
  shadowName: string,
): Promise<string[]> {
  await dropShadow(dataSource, schema, shadowName); // what a killed rebuild left behind
  const deferred: string[] = [];
  const queryOnly = new Set(projector.queryOnlyIndexes ?? []);
  await dataSource.transaction(async (manager) => {
    await manager.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
    for (const table of projector.tables) {
      const live = `public.${quoteIdent(table)}`;
      const shadow = `${quoteIdent(schema)}.${quoteIdent(table)}`;
      await manager.query(
        `CREATE TABLE ${shadow} (LIKE ${live} INCLUDING DEFAULTS INCLUDING CONSTRAINTS
           INCLUDING GENERATED INCLUDING IDENTITY INCLUDING STORAGE INCLUDING COMMENTS)`,
      );
      // LIKE copies no storage parameters: an operator's fillfactor or autovacuum settings on
      // the live table would otherwise be gone after the switch.
      const [storage] = await manager.query<{ options: string[] | null }[]>(
        'SELECT reloptions AS options FROM pg_class WHERE oid = $1::regclass',
        [live],
      );
      if (storage?.options?.length) {
        await manager.query(`ALTER TABLE ${shadow} SET (${storage.options.join(', ')})`);
      }
      // Keys and indexes under their own names, so later migrations find them by name.
      const constraints = await manager.query<{ name: string; definition: string }[]>(
        `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
          WHERE conrelid = $1::regclass AND contype IN ('p', 'u', 'x') ORDER BY conname`,
        [live],
      );
      for (const c of constraints) {
        await manager.query(
          `ALTER TABLE ${shadow} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`,
        );
      }
      const indexes = await manager.query<{ name: string; definition: string }[]>(
        `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
          WHERE i.indrelid = $1::regclass
            AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
          ORDER BY c.relname`,
        [live],
      );
      for (const index of indexes) {
        const definition = index.definition.replace(
          /^(CREATE (?:UNIQUE )?INDEX )(\S+)( ON (?:ONLY )?)(\S+)( USING .*)$/s,
          (_all, create: string, _name: string, on: string, _table: string, rest: string) =>
            `${create}${quoteIdent(index.name)}${on}${shadow}${rest}`,
        );
        // Built later without a transaction block: a plain CREATE INDEX holds the log's visible
        // head back for as long as it runs, CONCURRENTLY does not.
        if (queryOnly.has(index.name)) {
          deferred.push(
            definition.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX CONCURRENTLY '),
          );
        } else await manager.query(definition);
      }
    }
    await manager.query(
      `INSERT INTO projection_checkpoints (projector) VALUES ($1)
       ON CONFLICT (projector) DO UPDATE SET commit_position = NULL, prepare_position = NULL,
         updated_at = now()`,
      [shadowName],
    );
  });
  return deferred;
}

async function analyzeShadow(
  dataSource: DataSource,
  projector: Projector,
  schema: string,
): Promise<void> {
  for (const table of projector.tables) {
    await dataSource.query(`ANALYZE ${quoteIdent(schema)}.${quoteIdent(table)}`);
  }
}

/**
 * The switch, in one transaction: fences the live runner (its checkpoint row), checks the shadow
 * has caught up with it, then swaps the tables and hands over checkpoint and parked events.
 * 'behind' when the live version moved on meanwhile: catch up again and retry.
 */
async function trySwitch(
  dataSource: DataSource,
  projector: Projector,
  schema: string,
  shadowName: string,
  attempt: number,
): Promise<Position | null | 'behind'> {
  return dataSource.transaction(async (manager: EntityManager) => {
    // Readers queue behind the table locks; a reader that holds one must not wait on us for
    // long, nor deadlock with us: give up quickly and try again. From the third try on, long
    // enough (past deadlock_timeout, 1 s by default) for PostgreSQL to cancel an autovacuum of
    // the live tables, which would otherwise hold them until it is done, however long.
    const lockTimeoutMs = attempt <= 2 ? 500 : 2000;
    await manager.query(`SET LOCAL lock_timeout = '${lockTimeoutMs}ms'`);
    // The tables before the checkpoint row: the live runner takes them in that order (it loads,
    // writes, then moves its checkpoint), so the two never wait on each other in a circle.
    const liveTables = projector.tables.map((t) => `public.${quoteIdent(t)}`);
    if (liveTables.length > 0) {
      await manager.query(`LOCK TABLE ${liveTables.join(', ')} IN ACCESS EXCLUSIVE MODE`);
    }
    await manager.query(
      'INSERT INTO projection_checkpoints (projector) VALUES ($1) ON CONFLICT (projector) DO NOTHING',
      [projector.name],
    );
    const [live] = await manager.query<
      { commit_position: string | null; prepare_position: string | null }[]
    >(
      'SELECT commit_position, prepare_position FROM projection_checkpoints WHERE projector = $1 FOR UPDATE',
      [projector.name],
    );
    const livePosition =
      live?.commit_position != null && live.prepare_position != null
        ? { commit: BigInt(live.commit_position), prepare: BigInt(live.prepare_position) }
        : null;
    const shadowPosition = await readCheckpoint(manager, shadowName);
    if (comparePositions(shadowPosition, livePosition) < 0) return 'behind';
    if (liveTables.length > 0) await manager.query(`DROP TABLE ${liveTables.join(', ')}`);
    for (const table of projector.tables) {
      await manager.query(
        `ALTER TABLE ${quoteIdent(schema)}.${quoteIdent(table)} SET SCHEMA public`,
      );
    }
    await manager.query(
      `UPDATE projection_checkpoints SET commit_position = $2, prepare_position = $3, updated_at = now()
        WHERE projector = $1`,
      [
        projector.name,
        shadowPosition?.commit.toString() ?? null,
        shadowPosition?.prepare.toString() ?? null,
      ],
    );
    await manager.query('DELETE FROM parked_events WHERE projector = $1', [projector.name]);
    await manager.query('UPDATE parked_events SET projector = $1 WHERE projector = $2', [
      projector.name,
      shadowName,
    ]);
    await manager.query('DELETE FROM projection_checkpoints WHERE projector = $1', [shadowName]);
    await manager.query(`DROP SCHEMA ${quoteIdent(schema)}`);
    return shadowPosition;
  });
}

async function dropShadow(
  dataSource: DataSource,
  schema: string,
  shadowName: string,
): Promise<void> {
  await dataSource.transaction(async (manager) => {
    await manager.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
    await manager.query('DELETE FROM projection_checkpoints WHERE projector = $1', [shadowName]);
    await manager.query('DELETE FROM parked_events WHERE projector = $1', [shadowName]);
  });
}

function isLockTimeout(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '55P03'
  );
}
