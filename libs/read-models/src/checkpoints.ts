import type { Position } from '@tovholder/event-store';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import { WithQueries, type ArrayWrite } from './array-rows';
import { inSchemaTransaction } from './batch-transactions';
import { quoteLiteral } from './sql-text';
import { codeOf } from './transient-errors';

interface CheckpointRow {
  commit_position: string | null;
  prepare_position: string | null;
}

function toPosition(row: CheckpointRow | undefined): Position | null {
  if (!row || row.commit_position === null || row.prepare_position === null) return null;
  return { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) };
}

export async function readCheckpoint(
  manager: EntityManager,
  projector: string,
): Promise<Position | null> {
  const rows: CheckpointRow[] = await manager.query(
    'SELECT commit_position, prepare_position FROM projection_checkpoints WHERE projector = $1',
    [projector],
  );
  return toPosition(rows[0]);
}

/**
 * Locks the checkpoint row for this transaction and checks it is where this runner left it.
 * If another process moved it (a rebuild, or a second runner after a lost lock), the batch
 * must not be applied on top.
 */
export async function lockCheckpoint(
  manager: EntityManager,
  projector: string,
  expected: Position | null,
): Promise<void> {
  const lock = (): Promise<CheckpointRow[]> =>
    manager.query(
      'SELECT commit_position, prepare_position FROM projection_checkpoints WHERE projector = $1 FOR UPDATE',
      [projector],
    );
  // The row is there after the first batch: one round trip per batch, not two.
  let rows = await lock();
  if (rows.length === 0) {
    await manager.query(
      'INSERT INTO projection_checkpoints (projector) VALUES ($1) ON CONFLICT (projector) DO NOTHING',
      [projector],
    );
    rows = await lock();
  }
  const actual = toPosition(rows[0]);
  const same =
    actual === expected ||
    (actual !== null &&
      expected !== null &&
      actual.commit === expected.commit &&
      actual.prepare === expected.prepare);
  if (!same) throw new CheckpointMovedError(projector);
}

export async function writeCheckpoint(
  manager: EntityManager,
  projector: string,
  position: Position | null,
): Promise<void> {
  await manager.query(
    `UPDATE projection_checkpoints
        SET commit_position = $2, prepare_position = $3, updated_at = now()
      WHERE projector = $1`,
    [projector, position?.commit.toString() ?? null, position?.prepare.toString() ?? null],
  );
}

/**
 * Moves the checkpoint from `expected` to `position` in one statement, and throws if another
 * process moved it. Its transaction then commits without waiting for the disk: rows and
 * checkpoint commit together, so a commit lost in a server crash only means the events are
 * projected again.
 */
export async function advanceCheckpoint(
  manager: EntityManager,
  projector: string,
  expected: Position | null,
  position: Position,
): Promise<void> {
  const parameters: (string | null)[] = [];
  const move = checkpointMove(projector, expected, position, numberedAfter(parameters, 0));
  const rows: unknown[] = await manager.query(
    `WITH ${move.queries} SELECT projector FROM moved UNION ALL SELECT projector FROM added`,
    parameters,
  );
  if (rows.length === 0) throw new CheckpointMovedError(projector);
}

/**
 * Writes a batch's rows and moves the checkpoint from `expected` to `position` in one statement:
 * one round trip, and a transaction id held only while it runs (an open transaction holds back
 * the log's visible head for every reader). When another process moved the checkpoint, the
 * statement raises and writes nothing (a statement is all or nothing); that is thrown as
 * `CheckpointMovedError`. Commits without waiting for the disk, as `advanceCheckpoint`'s
 * transactions do.
 */
export async function writeWithCheckpoint(
  manager: EntityManager,
  writes: readonly (ArrayWrite | null)[],
  projector: string,
  expected: Position | null,
  position: Position,
): Promise<void> {
  const { queries, parameters } = WithQueries.of(writes);
  const moveParameters: (string | null)[] = [];
  const move = checkpointMove(
    projector,
    expected,
    position,
    numberedAfter(moveParameters, parameters.length),
  );
  try {
    await manager.query(`WITH ${[...queries, move.queries].join(', ')} ${move.raise}`, [
      ...parameters,
      ...moveParameters,
    ]);
  } catch (error) {
    throw asCheckpointMoved(error, projector);
  }
}

/**
 * Runs a batch's writes in a transaction of three round trips where TypeORM's takes five (see
 * batch-transactions.ts): the begin with the search path (a rebuild's shadow schema first) in
 * one, the writes, then the checkpoint's compare-and-set from `expected` to `position` with the
 * commit in one. `beforeCommit` (fault injection) runs after the writes. Throws
 * `CheckpointMovedError`, having rolled back, when another process moved the checkpoint.
 */
export async function writeInCheckpointedTransaction(
  dataSource: DataSource,
  checkpoint: {
    readonly projector: string;
    readonly expected: Position | null;
    readonly position: Position;
    readonly schema?: string;
  },
  write: (manager: EntityManager) => Promise<void>,
  beforeCommit?: () => Promise<void>,
): Promise<void> {
  const { projector, expected, position, schema } = checkpoint;
  // Sent with the commit, as a simple query (which takes no parameters): the checkpoint's own
  // values (digits and the projector's name) are written out.
  const move = checkpointMove(projector, expected, position, quoteLiteral);
  const moveWithLiterals = `WITH ${move.queries} ${move.raise}`;
  try {
    await inSchemaTransaction(
      dataSource,
      schema,
      async (manager) => {
        await write(manager);
        await beforeCommit?.();
      },
      moveWithLiterals,
    );
  } catch (error) {
    throw asCheckpointMoved(error, projector);
  }
}

/** `projection_checkpoint_moved`'s error (see its migration) as `CheckpointMovedError`. */
function asCheckpointMoved(error: unknown, projector: string): unknown {
  return error instanceof QueryFailedError && codeOf(error) === CHECKPOINT_MOVED
    ? new CheckpointMovedError(projector)
    : error;
}

/** The SQLSTATE of `projection_checkpoint_moved` (see its migration). */
const CHECKPOINT_MOVED = 'TH409';

/** How a value goes into a statement's text: as a parameter's placeholder, or written out. */
type ValueInSql = (value: string | null) => string;

/** Placeholders numbered after `offset`, each value added to `parameters`. */
function numberedAfter(parameters: (string | null)[], offset: number): ValueInSql {
  return (value) => `$${offset + parameters.push(value)}`;
}

/**
 * The compare-and-set of a checkpoint as the WITH queries `moved` (the row was where expected)
 * and `added` (there was none, and none was expected), its values put in by `valueInSql`. Sets
 * this transaction's commit not to wait for the disk: rows and checkpoint commit together, so a
 * commit lost in a server crash only means the events are projected again.
 */
function checkpointMove(
  projector: string,
  expected: Position | null,
  position: Position,
  valueInSql: ValueInSql,
): { queries: string; raise: string } {
  const [name, commit, prepare, expectedCommit, expectedPrepare] = [
    projector,
    position.commit.toString(),
    position.prepare.toString(),
    expected?.commit.toString() ?? null,
    expected?.prepare.toString() ?? null,
  ].map(valueInSql);
  return {
    queries: `moved AS (
       UPDATE projection_checkpoints
          SET commit_position = ${commit}::bigint, prepare_position = ${prepare}::bigint, updated_at = now()
        WHERE projector = ${name}::text AND commit_position IS NOT DISTINCT FROM ${expectedCommit}::bigint
          AND prepare_position IS NOT DISTINCT FROM ${expectedPrepare}::bigint
          AND set_config('synchronous_commit', 'off', true) IS NOT NULL
       RETURNING projector
     ),
     added AS (
       INSERT INTO projection_checkpoints (projector, commit_position, prepare_position)
       SELECT ${name}::text, ${commit}::bigint, ${prepare}::bigint
        WHERE ${expectedCommit}::bigint IS NULL AND NOT EXISTS (SELECT 1 FROM moved)
       ON CONFLICT (projector) DO NOTHING
       RETURNING projector
     )`,
    // The statement's select: raises when the checkpoint was not where expected.
    raise: `SELECT projection_checkpoint_moved(${name}::text)
        WHERE NOT EXISTS (SELECT FROM moved) AND NOT EXISTS (SELECT FROM added)`,
  };
}

export class CheckpointMovedError extends Error {
  constructor(readonly projector: string) {
    super(`The checkpoint of projector ${projector} was moved by another process`);
    this.name = 'CheckpointMovedError';
  }
}
