import {
  Module,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { IdempotencyInterceptor } from './http/idempotency/idempotency.interceptor';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessModule } from './access/access.module';
import { ACCESS_CONTROL } from './auth/auth.guard';
import { AlertsModule } from './alerts/alerts.module';
import { AuthModule } from './auth/auth.module';
import { CasesModule } from './cases/cases.module';
import { CaseworkModule } from './casework/casework.module';
import { ComplaintsModule } from './complaints/complaints.module';
import { FileAccessModule } from './file-access/file-access.module';
import { JournalModule } from './journal/journal.module';
import { ManagementFiguresModule } from './management-figures/management-figures.module';
import { SupervisionModule } from './supervision/supervision.module';
import { MeetingPagesModule } from './meeting-pages/meeting-pages.module';
import { MeetingsModule } from './meetings/meetings.module';
import { PersonsModule } from './persons/persons.module';
import { VisitationModule } from './visitation/visitation.module';
import { ImportsModule } from './imports/imports.module';
import { SourceKeysModule } from './source-keys/source-keys.module';
import { CoordinationModule } from './coordination/coordination.module';
import { DepartmentsModule } from './departments/departments.module';
import { CaseworkersModule } from './caseworkers/caseworkers.module';
import { FamiliesModule } from './families/families.module';
import { InquiriesModule } from './inquiries/inquiries.module';
import { ApplicationsModule } from './applications/applications.module';
import { TransitionsModule } from './transitions/transitions.module';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { HealthModule } from './health/health.module';
import { ProblemFilter } from './http/problem.filter';
import { INPUT_GUARDS, RefuseNulMiddleware } from './http/refuse-nul.middleware';
import { EventStoreModule } from './infrastructure/event-store.module';
import { ProjectionsModule } from './projections/projections.module';
import { readModelDataSourceOptions } from './read-models';
import { CLOCK, systemClock, type Clock } from './shared/clock';
import { CommandsModule } from './shared/command-runner';

export interface AppOptions {
  readonly config: AppConfig;
  /** Tests move time; production uses the system clock. */
  readonly clock?: Clock;
  /**
   * Benchmarks only: false measures the app without authentication and access control (every
   * request acts as the system actor). Deliberately not reachable from configuration.
   */
  readonly accessControl?: boolean;
  /**
   * Benchmarks only: false measures the app without the body depth/width bound and the real-date
   * check (bench/faults.bench.ts). Deliberately not reachable from configuration.
   */
  readonly inputGuards?: boolean;
}

@Module({})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RefuseNulMiddleware).forRoutes('*path');
  }

  static forRoot({
    config,
    clock = systemClock,
    accessControl = true,
    inputGuards = true,
  }: AppOptions): DynamicModule {
    if (!config.databaseUrl) throw new Error('AppModule needs a database URL');
    return {
      module: AppModule,
      global: true,
      imports: [
        ConfigModule.forRoot(config),
        ThrottlerModule.forRoot({
          throttlers: [{ ttl: 60_000, limit: config.rateLimitPerMinute }],
        }),
        AuthModule,
        TypeOrmModule.forRoot(readModelDataSourceOptions(config.databaseUrl)),
        AccessModule,
        CommandsModule,
        EventStoreModule,
        ProjectionsModule,
        HealthModule,
        PersonsModule,
        CasesModule,
        CoordinationModule,
        DepartmentsModule,
        CaseworkersModule,
        FamiliesModule,
        TransitionsModule,
        CaseworkModule,
        InquiriesModule,
        ApplicationsModule,
        ComplaintsModule,
        FileAccessModule,
        JournalModule,
        SupervisionModule,
        ManagementFiguresModule,
        MeetingsModule,
        MeetingPagesModule,
        VisitationModule,
        AlertsModule,
        SourceKeysModule,
        ImportsModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: CLOCK, useValue: clock },
        { provide: ACCESS_CONTROL, useValue: accessControl },
        { provide: INPUT_GUARDS, useValue: inputGuards },
      ],
      exports: [CLOCK, ACCESS_CONTROL],
    };
  }
}
