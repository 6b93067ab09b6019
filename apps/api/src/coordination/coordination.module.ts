import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CoordinationHistoryService } from './coordination-history.service';
import { CoordinationController } from './coordination.controller';
import { CoordinationQueries } from './coordination.queries';
import {
  COORDINATION_RULES,
  coordinationRulesFrom,
  danishWorkingDayDeadline,
  WORKING_DAY_DEADLINE,
} from './coordination.rules';

/** The coordination views over families, their cases and caseworkers. */
@Module({
  controllers: [CoordinationController],
  providers: [
    CoordinationQueries,
    CoordinationHistoryService,
    {
      provide: COORDINATION_RULES,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => coordinationRulesFrom(config),
    },
    { provide: WORKING_DAY_DEADLINE, useValue: danishWorkingDayDeadline },
  ],
  exports: [CoordinationQueries],
})
export class CoordinationModule {}
