import { Module } from '@nestjs/common';
import { ApplicationsController } from '../applications/applications.controller';
import { ProcessingDeadlinesFileLoader } from '../applications/processing-deadlines-file.loader';
import { ProcessingDeadlinesController } from '../applications/processing-deadlines.controller';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { InquiriesController } from '../inquiries/inquiries.controller';
import { CaseworkController } from './casework.controller';
import { CASEWORK_POLICY, caseworkPolicyFrom } from './casework.policy';
import { CaseworkQueries } from './casework.queries';
import { DutyCommands } from './duty-commands';

/**
 * The casework duties (inquiries, applications and decisions, complaints, file access, the
 * journal) and what management reads of them.
 */
@Module({
  controllers: [
    CaseworkController,
    InquiriesController,
    ApplicationsController,
    ProcessingDeadlinesController,
  ],
  providers: [
    CaseworkQueries,
    DutyCommands,
    ProcessingDeadlinesFileLoader,
    {
      provide: CASEWORK_POLICY,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => caseworkPolicyFrom(config),
    },
  ],
  exports: [CaseworkQueries, DutyCommands, CASEWORK_POLICY],
})
export class CaseworkModule {}
