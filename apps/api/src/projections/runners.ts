import type { EventStore, Position } from '@tovholder/event-store';
import { ProjectionRunner, sharedReads, type ProjectionLogger } from '@tovholder/read-models';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { createProjectors } from '../read-models';

/** A runner for each projector, as configured; on the projection thread or the main one. */
export function createRunners(
  dataSource: DataSource,
  store: EventStore,
  config: AppConfig,
  logger: ProjectionLogger,
  onCheckpoint: (projector: string, position: Position) => void,
): ProjectionRunner[] {
  // Runners catching up side by side (start-up, after an import) read the log once between
  // them: each has a reader of its own, so the shared window keeps what the slowest still needs.
  const reads = sharedReads(store);
  return createProjectors(config).map(
    (projector) =>
      new ProjectionRunner(dataSource, reads.reader(), projector, {
        batchSize: config.projections.batchSize,
        catchUpBatchSize: config.projections.catchUpBatchSize,
        maxAttempts: config.projections.maxAttempts,
        logger,
        onCheckpoint,
      }),
  );
}
