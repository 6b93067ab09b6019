import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CasesModule } from './cases/cases.module';
import { CoordinationModule } from './coordination/coordination.module';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { HealthModule } from './health/health.module';
import { ProblemFilter } from './http/problem.filter';
import { EventStoreModule } from './infrastructure/event-store.module';
import { ProjectionsModule } from './projections/projections.module';
import { readModelDataSourceOptions } from './read-models';
import { CLOCK, systemClock, type Clock } from './shared/clock';
import { DecideHandler } from './shared/decide.command';

export interface AppOptions {
  readonly config: AppConfig;
  /** Tests move time; production uses the system clock. */
  readonly clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot({ config, clock = systemClock }: AppOptions): DynamicModule {
    if (!config.databaseUrl) throw new Error('AppModule needs a database URL');
    return {
      module: AppModule,
      global: true,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot(readModelDataSourceOptions(config.databaseUrl)),
        CqrsModule.forRoot(),
        EventStoreModule,
        ProjectionsModule,
        HealthModule,
        CasesModule,
        CoordinationModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: CLOCK, useValue: clock },
        DecideHandler,
      ],
      exports: [CLOCK],
    };
  }
}
