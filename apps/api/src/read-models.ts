import {
  ParkedEventEntity,
  ProjectionCheckpointEntity,
  ProjectionRuntime1764000000000,
  type Projector,
} from '@tovholder/read-models';
import type { DataSourceOptions } from 'typeorm';
import { CaseListItemEntity } from './cases/case-list.entity';
import { CaseList1764000000100 } from './cases/case-list.migration';
import { CaseListProjector } from './cases/case-list.projector';

/** Every read model of the app: a new feature adds its projector, entities and migrations here. */
export function createProjectors(): Projector[] {
  return [new CaseListProjector()];
}

export const READ_MODEL_ENTITIES = [ProjectionCheckpointEntity, ParkedEventEntity, CaseListItemEntity];

export const READ_MODEL_MIGRATIONS = [ProjectionRuntime1764000000000, CaseList1764000000100];

export function readModelDataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: READ_MODEL_ENTITIES,
    migrations: READ_MODEL_MIGRATIONS,
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    synchronize: false,
    extra: { max: 20, application_name: 'tovholder-read-models' },
  };
}
