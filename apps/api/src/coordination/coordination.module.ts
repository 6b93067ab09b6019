import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CaseworkersController } from '../caseworkers/caseworkers.controller';
import { DepartmentsController } from '../departments/departments.controller';
import { DepartmentsFileLoader } from '../departments/departments-file.loader';
import { FamiliesController } from '../families/families.controller';
import { CoordinationHistoryService } from './coordination-history.service';
import { CoordinationController } from './coordination.controller';
import { CoordinationQueries } from './coordination.queries';
import {
  COORDINATION_RULES,
  coordinationRulesFrom,
  danishWorkingDayDeadline,
  WORKING_DAY_DEADLINE,
} from './coordination.rules';

/** Departments, caseworkers, families and the coordination views over them. */
@Module({
  controllers: [
    DepartmentsController,
    CaseworkersController,
    FamiliesController,
    CoordinationController,
  ],
  providers: [
    CoordinationQueries,
    DepartmentsFileLoader,
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
