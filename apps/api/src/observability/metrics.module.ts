import {
  Controller,
  Get,
  Header,
  Inject,
  Injectable,
  Logger,
  Module,
  NotFoundException,
  type MiddlewareConsumer,
  type NestMiddleware,
  type NestModule,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  EVENT_STORE,
  parsePosition,
  PostgresEventStore,
  WrongExpectedRevisionError,
  type EventStore,
} from '@tovholder/event-store';
import type { NextFunction, Request, Response } from 'express';
import { createServer, type Server } from 'node:http';
import { DataSource } from 'typeorm';
import { Allow } from '../access/access-rules';
import { AccessLog } from '../access/access-log';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { IDEMPOTENCY_REPLAYED_HEADER } from '../http/idempotency';
import { ProjectionsService } from '../projections/projections.service';
import { TransitionScheduler } from '../transitions/transition-scheduler.service';
import { readWalCounters } from '../infrastructure/postgres-wal';
import { readModelPool } from '../infrastructure/read-model-pool';
import { addressOf } from './listening-address';
import { routeTemplate } from './logging';
import { Metrics, type PoolUse, type ProjectorGauges, type ScrapeSnapshot } from './metrics';

/** Reads what the gauges show from the projection status, the database and its pool. */
async function readSnapshot(
  projections: ProjectionsService,
  dataSource: DataSource,
  store: EventStore,
): Promise<ScrapeSnapshot> {
  const [statuses, parkedRows, pendingRows, database] = await Promise.all([
    projections.status(),
    dataSource.query<{ projector: string; n: number }[]>(
      'SELECT projector, count(*)::int AS n FROM parked_events GROUP BY projector',
    ),
    dataSource.query<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM idempotency_records WHERE state = 'pending'",
    ),
    readWalCounters(dataSource),
  ]);
  const parked = new Map(parkedRows.map((row) => [row.projector, row.n]));
  const now = Date.now();
  const projectors = await Promise.all(
    statuses.map(async (status): Promise<ProjectorGauges> => {
      const checkpoint = status.checkpoint ? parsePosition(status.checkpoint) : null;
      // Lag: how long the oldest event not yet applied has waited.
      const [next] = status.eventsBehind ? await store.readAll(checkpoint, 1) : [];
      return {
        name: status.name,
        checkpointCommit: checkpoint ? Number(checkpoint.commit) : 0,
        eventsBehind: status.eventsBehind,
        lagSeconds: next ? Math.max(0, (now - next.recordedAt.getTime()) / 1000) : 0,
        parked: parked.get(status.name) ?? 0,
        running: status.state === 'running',
      };
    }),
  );
  const pool = readModelPool(dataSource);
  const pools: PoolUse[] = [];
  if (pool) {
    pools.push({
      pool: 'read-models',
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    });
  }
  if (store instanceof PostgresEventStore) pools.push({ pool: 'event-store', ...store.poolUse() });
  return { projectors, idempotencyKeysInProgress: pendingRows[0]?.n ?? 0, pools, database };
}

/**
 * Counts what happens in the event store, the access log and the scheduler by wrapping the
 * methods of the instances the app uses (a decorator in place: no adapter or service changes).
 */
function instrument(moduleRef: ModuleRef, metrics: Metrics): void {
  const store = moduleRef.get<EventStore>(EVENT_STORE, { strict: false });
  const append = store.append.bind(store);
  store.append = async (...args) => {
    const end = metrics.appendDuration.startTimer();
    try {
      const result = await append(...args);
      end({ outcome: 'ok' });
      return result;
    } catch (error) {
      const conflict = error instanceof WrongExpectedRevisionError;
      if (conflict) metrics.appendConflicts.inc();
      end({ outcome: conflict ? 'conflict' : 'error' });
      throw error;
    }
  };

  const accessLog = moduleRef.get(AccessLog, { strict: false });
  const write = accessLog.append.bind(accessLog);
  accessLog.append = async (entry) => {
    try {
      await write(entry);
      metrics.accessLogWrites.inc({ result: 'written' });
    } catch (error) {
      metrics.accessLogWrites.inc({ result: 'failed' });
      throw error;
    }
  };

  const scheduler = moduleRef.get(TransitionScheduler, { strict: false });
  const run = scheduler.run.bind(scheduler);
  const process = 'transition-sixteenth-birthdays';
  scheduler.run = async () => {
    try {
      const result = await run();
      metrics.scheduledRuns.inc({ process, outcome: result ? 'completed' : 'skipped' });
      return result;
    } catch (error) {
      metrics.scheduledRuns.inc({ process, outcome: 'failed' });
      throw error;
    }
  };
}

@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: Metrics) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const end = this.metrics.httpDuration.startTimer();
    response.once('finish', () => {
      end({ method: request.method, route: routeTemplate(request), status: response.statusCode });
      if (response.getHeader(IDEMPOTENCY_REPLAYED_HEADER) === 'true') {
        this.metrics.idempotencyReplays.inc();
      }
    });
    next();
  }
}

@Injectable()
export class MetricsService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private server: Server | null = null;

  constructor(
    private readonly metrics: Metrics,
    private readonly moduleRef: ModuleRef,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    instrument(this.moduleRef, this.metrics);
  }

  /** METRICS_PORT: /metrics on a port of its own, for a scraper on a private network. */
  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.metrics.port;
    if (port === null) return;
    this.server = metricsServer(this.metrics);
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject).listen(port, this.config.host, resolve);
    });
    new Logger('Metrics').log(`metrics on ${addressOf(this.server)}/metrics`);
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

/** A bare HTTP server answering /metrics (and nothing else). */
export function metricsServer(
  metrics: Metrics,
  extra?: (path: string) => Promise<unknown>,
): Server {
  return createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    const answer = async (): Promise<[number, string, string]> => {
      if (path === '/metrics') return [200, metrics.registry.contentType, await metrics.scrape()];
      const body = extra ? await extra(path) : undefined;
      return body === undefined
        ? [404, 'text/plain', 'not found\n']
        : [200, 'application/json', JSON.stringify(body)];
    };
    answer().then(
      ([status, type, body]) => response.writeHead(status, { 'content-type': type }).end(body),
      (error: unknown) => {
        new Logger('Metrics').error(
          `scrape failed: ${error instanceof Error ? error.name : 'unknown error'}`,
        );
        response.writeHead(503, { 'content-type': 'text/plain' }).end('unavailable\n');
      },
    );
  });
}

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** On the API port only for admin and system tokens, and not at all with METRICS_PORT. */
  @Get()
  @Allow('admin', 'system')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    if (this.config.metrics.port !== null) {
      throw new NotFoundException({ code: 'NOT_FOUND', message: 'Metrics are on METRICS_PORT' });
    }
    return this.metrics.scrape();
  }
}

@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: Metrics,
      inject: [ProjectionsService, DataSource, EVENT_STORE],
      useFactory: (projections: ProjectionsService, dataSource: DataSource, store: EventStore) =>
        new Metrics(() => readSnapshot(projections, dataSource, store)),
    },
    MetricsService,
    HttpMetricsMiddleware,
  ],
  exports: [Metrics],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
