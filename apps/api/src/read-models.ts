import {
  ParkedEventEntity,
  ProjectionCheckpointEntity,
  CheckpointMoved1764000019400,
  ProjectionRuntime1764000000000,
  type Projector,
} from '@tovholder/read-models';
import type { DataSourceOptions } from 'typeorm';
import { AlertScheduleProjector } from './alerts/alert-schedule.projector';
import { Alerts1764000002500 } from './alerts/alerts.migration';
import { AlertSubjects1764000002600 } from './alerts/alert-subjects.migration';
import { CaseListItemEntity } from './cases/case-list.entity';
import { CaseList1764000000100 } from './cases/case-list.migration';
import { CaseListProjector } from './cases/case-list.projector';
import { Casework1764000001000 } from './casework/casework.migration';
import { CaseworkMonthEnds1764000001500 } from './casework/casework-month-ends.migration';
import { CaseworkPendingMonthEnds1764000017310 } from './casework/casework-pending-month-ends.migration';
import { CaseworkRecordEventsJson1764000018000 } from './casework/casework-record-events-json.migration';
import { CaseworkRecordEventsUncompressed1764000019000 } from './casework/casework-record-events-uncompressed.migration';
import { CaseworkRecordFacts1764000019500 } from './casework/casework-record-facts.migration';
import { AlertScheduleDutyMarks1764000019200 } from './alerts/alert-schedule-duty-marks.migration';
import { AlertScheduleEventsJson1764000019100 } from './alerts/alert-schedule-events-json.migration';
import { CaseworkRecordAggregates1764000002300 } from './casework/casework-record-aggregates.migration';
import { caseworkPolicyFrom } from './casework/casework.policy';
import { CaseworkProjector } from './casework/casework.projector';
import { ProcessingDeadlineEntity } from './applications/processing-deadline.entity';
import { ProcessingDeadlines1764000000900 } from './applications/processing-deadlines.migration';
import { CaseworkerNameEntity } from './caseworkers/caseworker-name.entity';
import { CaseworkerNames1764000000350 } from './caseworkers/caseworker-names.migration';
import type { AppConfig } from './config/app-config';
import { AccessLog1764000002100 } from './access/access-log.migration';
import { CoordinationConsents1764000002000 } from './coordination/coordination-consents.migration';
import { CoordinationIndexes1764000000700 } from './coordination/coordination-indexes.migration';
import { coordinationRulesFrom, danishWorkingDayDeadline } from './coordination/coordination.rules';
import { FamilyCoordination1764000000500 } from './coordination/family-coordination.migration';
import { FamilyCoordinationProjector } from './coordination/family-coordination.projector';
import { DepartmentEntity } from './departments/department.entity';
import { Departments1764000000300 } from './departments/departments.migration';
import { IdempotencyRecordEntity } from './http/idempotency/idempotency-record.entity';
import { IdempotencyRecords1764000000200 } from './http/idempotency/idempotency-records.migration';
import { PersonEntity } from './persons/person.entity';
import { Transitions1764000000600 } from './transitions/transitions.migration';
import { TransitionStreamsProjector } from './transitions/transition-streams.projector';
import { Persons1764000000400 } from './persons/persons.migration';
import { JournalNotes1764000001100 } from './journal/journal-notes.migration';
import { Supervision1764000001200 } from './supervision/supervision.migration';
import { ManagementFigures1764000001300 } from './management-figures/management-figures.migration';
import { SupervisionProjector } from './supervision/supervision.projector';
import { PersonsDigitalPost1764000000800 } from './persons/persons-digital-post.migration';
import { PersonsEncrypted1764000001400 } from './persons/persons-encrypted.migration';
import { IdempotencyGeneration1764000016000 } from './http/idempotency/idempotency-generation.migration';
import { IdempotencyLease1764000014000 } from './http/idempotency/idempotency-lease.migration';
import { ImportWriteIndexes1764000019300 } from './source-keys/import-write-indexes.migration';
import { SourceKeys1764000003100 } from './source-keys/source-keys.migration';
import { Imports1764000003200 } from './imports/imports.migration';

/** Every read model of the app: a new feature adds its projector, entities and migrations here. */
export function createProjectors(config: AppConfig): Projector[] {
  return [
    new CaseListProjector(),
    new FamilyCoordinationProjector(coordinationRulesFrom(config), danishWorkingDayDeadline),
    new TransitionStreamsProjector(),
    new CaseworkProjector(caseworkPolicyFrom(config)),
    new SupervisionProjector(),
    new AlertScheduleProjector(),
  ];
}

export const READ_MODEL_ENTITIES = [
  ProjectionCheckpointEntity,
  ParkedEventEntity,
  CaseListItemEntity,
  DepartmentEntity,
  CaseworkerNameEntity,
  PersonEntity,
  IdempotencyRecordEntity,
  ProcessingDeadlineEntity,
];

export const READ_MODEL_MIGRATIONS = [
  ProjectionRuntime1764000000000,
  CaseList1764000000100,
  IdempotencyRecords1764000000200,
  Departments1764000000300,
  CaseworkerNames1764000000350,
  Persons1764000000400,
  FamilyCoordination1764000000500,
  Transitions1764000000600,
  CoordinationIndexes1764000000700,
  PersonsDigitalPost1764000000800,
  ProcessingDeadlines1764000000900,
  Casework1764000001000,
  JournalNotes1764000001100,
  Supervision1764000001200,
  ManagementFigures1764000001300,
  PersonsEncrypted1764000001400,
  CaseworkMonthEnds1764000001500,
  CoordinationConsents1764000002000,
  AccessLog1764000002100,
  CaseworkRecordAggregates1764000002300,
  Alerts1764000002500,
  AlertSubjects1764000002600,
  IdempotencyLease1764000014000,
  SourceKeys1764000003100,
  Imports1764000003200,
  IdempotencyGeneration1764000016000,
  CaseworkPendingMonthEnds1764000017310,
  CaseworkRecordEventsJson1764000018000,
  CaseworkRecordEventsUncompressed1764000019000,
  AlertScheduleEventsJson1764000019100,
  AlertScheduleDutyMarks1764000019200,
  ImportWriteIndexes1764000019300,
  CheckpointMoved1764000019400,
  CaseworkRecordFacts1764000019500,
];

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
