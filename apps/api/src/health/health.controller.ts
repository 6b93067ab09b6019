import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { EVENT_STORE, type EventStore } from '@tovholder/event-store';
import { countParkedEvents } from '@tovholder/read-models';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.guard';
import { SERVICE_UNAVAILABLE } from '../http/database-unavailable';
import { ProjectionsService } from '../projections/projections.service';

@ApiTags('operations')
@Public() // load balancers and monitoring ask without a token
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly projections: ProjectionsService,
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Check that the event store, database and projections are up',
    operationId: 'checkHealth',
  })
  @HealthCheck()
  @ApiOkResponse({ description: 'Event store, read-model database and projections are up' })
  @ApiServiceUnavailableResponse({ description: 'One of them is down: see which in the body' })
  async check(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.eventStore(),
        () => this.database.pingCheck('readModelDatabase', { timeout: 2000 }),
        () => this.projectionLag(),
      ]);
    } catch (error) {
      // Terminus answers 503 with its own body; ours names each indicator in the Problem shape.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as Partial<HealthCheckResult>;
      throw new ServiceUnavailableException({
        code: SERVICE_UNAVAILABLE,
        message: 'Something the API needs is down: see details',
        details: result.details ?? {},
      });
    }
  }

  private async eventStore(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('eventStore');
    try {
      await this.store.ping();
      return check.up();
    } catch {
      return check.down({ message: 'the event store does not answer' });
    }
  }

  /** Lag and parked events are reported, not failed on: the API still serves while a view catches up. */
  private async projectionLag(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('projections');
    try {
      const [projectors, parkedEvents] = await Promise.all([
        this.projections.status(),
        countParkedEvents(this.dataSource.manager),
      ]);
      return check.up({ parkedEvents, projectors });
    } catch {
      return check.down({ message: 'the projection state cannot be read' });
    }
  }
}
