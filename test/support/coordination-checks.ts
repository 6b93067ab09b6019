import { coordinationFlags, DEFAULT_COORDINATION_RULES, type FamilyFacts } from '@tovholder/domain';
import { rebuildProjection } from '@tovholder/read-models';
import { danishWorkingDayDeadline } from '../../apps/api/src/coordination/coordination.rules';
import { FamilyCoordinationProjector } from '../../apps/api/src/coordination/family-coordination.projector';
import type { ReadModelFixture } from './read-model-db';

/** The coordination projector as the app configures it by default. */
export const coordinationProjector = (): FamilyCoordinationProjector =>
  new FamilyCoordinationProjector(DEFAULT_COORDINATION_RULES, danishWorkingDayDeadline);

interface ComparableFlag {
  readonly code: string;
  readonly subjectId: string;
  readonly since: string;
  readonly eventIds: readonly string[];
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byCodeAndSubject = (a: ComparableFlag, b: ComparableFlag): number =>
  compare(a.code, b.code) || compare(a.subjectId, b.subjectId);

/** A family's flags as the projection stored them, in one order. */
export async function projectedFlags(
  { dataSource }: ReadModelFixture,
  familyId: string,
): Promise<ComparableFlag[]> {
  const rows = await dataSource.query<
    { code: string; subject_id: string; since: Date; event_ids: string[] }[]
  >('SELECT code, subject_id, since, event_ids FROM coordination_flags WHERE family_id = $1', [
    familyId,
  ]);
  return rows
    .map((row) => ({
      code: row.code,
      subjectId: row.subject_id,
      since: row.since.toISOString(),
      eventIds: row.event_ids,
    }))
    .sort(byCodeAndSubject);
}

/** The flags the domain computes from folded facts, in the same order. */
export function expectedFlags(facts: FamilyFacts): ComparableFlag[] {
  return coordinationFlags(facts, DEFAULT_COORDINATION_RULES, danishWorkingDayDeadline)
    .map((flag) => ({
      code: flag.code,
      subjectId: flag.subjectId,
      since: flag.since,
      eventIds: [...flag.eventIds],
    }))
    .sort(byCodeAndSubject);
}

/** Rebuilds the projector's tables from the log and expects the rows the live run left. */
export async function expectRebuildEqualsLive(
  { dataSource, store }: ReadModelFixture,
  projector: FamilyCoordinationProjector,
): Promise<void> {
  const snapshot = (): Promise<unknown[]> =>
    Promise.all(
      projector.tables.map((table) => dataSource.query(`SELECT * FROM ${table} ORDER BY 1, 2, 3`)),
    );
  const live = await snapshot();
  await rebuildProjection(dataSource, store, projector);
  expect(await snapshot()).toEqual(live);
}
