import type { DataSource, EntityManager } from 'typeorm';
import type { ImportedProcessingDeadlineDto } from './processing-deadline.dto';
import { ProcessingDeadlineEntity } from './processing-deadline.entity';

/**
 * Examples only, so a fresh installation works: every municipality publishes its own and loads
 * them with PROCESSING_DEADLINES_FILE or PUT /processing-deadlines/:caseType.
 */
export const EXAMPLE_PROCESSING_DEADLINES: readonly ImportedProcessingDeadlineDto[] = [
  { caseType: '*', amount: 8, unit: 'weeks' },
  { caseType: 'disability-support', amount: 12, unit: 'weeks' },
  { caseType: 'placement-out-of-home', amount: 8, unit: 'weeks' },
  { caseType: 'child-support', amount: 8, unit: 'weeks' },
];

export async function upsertProcessingDeadlines(
  dataSource: DataSource,
  deadlines: readonly ImportedProcessingDeadlineDto[],
): Promise<void> {
  await dataSource.transaction(async (manager) => {
    for (const { caseType, amount, unit } of deadlines) {
      await manager.upsert(ProcessingDeadlineEntity, { caseType, amount, unit }, ['caseType']);
    }
  });
}

/** The deadline published for `caseType`, else the fallback '*', else none. */
export async function publishedDeadline(
  manager: EntityManager,
  caseType: string,
): Promise<ProcessingDeadlineEntity | null> {
  const rows = await manager.find(ProcessingDeadlineEntity, {
    where: [{ caseType }, { caseType: '*' }],
  });
  return rows.find((row) => row.caseType === caseType) ?? rows[0] ?? null;
}
