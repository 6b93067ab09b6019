import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import { copenhagenDateOf } from '@tovholder/domain/shared/copenhagen-time';
import { Allow } from '../access/access-rules';
import { CurrentPrincipal } from '../auth/auth.guard';
import { NoIdempotencyRecord } from '../http/idempotency/no-idempotency-record';
import type { Principal } from '../auth/principal';
import type { Page } from '../http/page';
import { CLOCK, type Clock } from '../shared/clock';
import { AlertDelivery } from './alert-delivery.service';
import { AlertRun, type AlertRunResult } from './alert-run.service';
import {
  AlertSubscriptions,
  type DeliveryView,
  type SubscriptionView,
} from './alert-subscriptions';
import {
  AlertFeedDto,
  CreateSubscriptionDto,
  DigestDto,
  ListAlertsDto,
  ListDeliveriesDto,
} from './alerts.dto';
import { AlertsQueries, audienceOf, type AlertAudience, type AlertView } from './alerts.queries';
import { renderDigestPage, type AlertDigest } from './digest-page';

const notFound = (code: string, message: string) => ({
  exceptionFactory: () => new NotFoundException({ code, message }),
});
const alertId = new ParseUUIDPipe(notFound('ALERT.NOT_FOUND', 'No alert with this id'));
const subscriptionId = new ParseUUIDPipe(
  notFound('ALERT_SUBSCRIPTION.NOT_FOUND', 'No subscription with this id'),
);

/** Alerts (advis) for people: worklist, acknowledgement, digest; and for systems: the feed. */
@ApiTags('alerts')
@Controller()
export class AlertsController {
  constructor(
    private readonly queries: AlertsQueries,
    private readonly run: AlertRun,
    private readonly delivery: AlertDelivery,
    private readonly subscriptions: AlertSubscriptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('alerts')
  @ApiOperation({
    summary: 'List alerts for a responsible party (a caseworker worklist)',
    operationId: 'listAlerts',
  })
  @Allow('caseworker', 'youth-unit', 'team-leader', 'system')
  @ApiOkResponse({
    description: 'Alerts for the caller (responsible=me) or their department, newest first',
  })
  list(
    @Query() query: ListAlertsDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Page<AlertView>> {
    return this.queries.list(
      audienceOf(principal, query.responsible),
      { status: query.status, code: query.code },
      query.limit,
      query.offset,
    );
  }

  @Post('alerts/:id/acknowledgement')
  @ApiOperation({ summary: 'Acknowledge an alert', operationId: 'acknowledgeAlert' })
  @Allow('caseworker', 'youth-unit', 'team-leader', 'system')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The alert with who acknowledged it and when' })
  acknowledge(
    @Param('id', alertId) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AlertView> {
    return this.queries.acknowledge(id, principal);
  }

  @Get('alerts/feed')
  @ApiOperation({
    summary: 'Read the alert feed after a cursor (for systems without webhooks)',
    operationId: 'readAlertFeed',
  })
  @Allow('admin', 'system')
  @ApiOkResponse({
    description: 'Every alert in the order recorded, after a cursor; resume from `next`',
  })
  feed(@Query() query: AlertFeedDto) {
    return this.queries.feed(query.after, query.limit);
  }

  private async digest(query: DigestDto, principal: Principal): Promise<AlertDigest> {
    // A system caller names whose digest it wants; naming no one, it gets every open alert.
    const audience: AlertAudience | null = !principal.roles.includes('system')
      ? audienceOf(principal, 'me')
      : query.caseworkerId === undefined && query.departmentId === undefined
        ? null
        : {
            caseworkerId: query.caseworkerId ?? null,
            departmentId: query.departmentId ?? null,
            teamLeader: query.caseworkerId === undefined,
            youthUnit: false,
            wholeDepartment: false,
          };
    const alerts = (await this.queries.list(audience, { status: 'open' }, 500, 0)).items;
    return {
      date: copenhagenDateOf(this.clock.now()),
      for: {
        caseworkerId: audience?.caseworkerId ?? null,
        departmentId: audience?.departmentId ?? null,
      },
      open: alerts.length,
      overdue: alerts.filter((alert) => alert.severity === 'overdue').length,
      escalated: alerts.filter((alert) => alert.type === 'alert.escalated').length,
      alerts,
    };
  }

  @Get('alerts/digest')
  @ApiOperation({ summary: 'Get the daily digest of open alerts', operationId: 'getAlertDigest' })
  @Allow('caseworker', 'youth-unit', 'team-leader', 'system')
  @ApiOkResponse({ description: "Today's digest of the caller's open alerts (at most 500)" })
  digestJson(@Query() query: DigestDto, @CurrentPrincipal() principal: Principal) {
    return this.digest(query, principal);
  }

  @Get('alerts/digest.html')
  @ApiOperation({
    summary: 'Get the daily digest of open alerts as a printable Danish page',
    operationId: 'getAlertDigestPage',
  })
  @Allow('caseworker', 'youth-unit', 'team-leader', 'system')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The same as a printable page in Danish: "Dine åbne advis"' })
  async digestHtml(@Query() query: DigestDto, @CurrentPrincipal() principal: Principal) {
    return renderDigestPage(await this.digest(query, principal));
  }

  @Post('alerts/scheduler/run')
  @ApiOperation({ summary: 'Run the alert scheduler now', operationId: 'runAlertScheduler' })
  @Allow('admin', 'system')
  @HttpCode(200)
  @ApiOkResponse({
    description:
      'One alert run now: subjects judged, alerts raised, stopped, escalated; subjects that failed',
  })
  async runNow(): Promise<AlertRunResult> {
    const result = await this.run.run();
    this.delivery.poke();
    if (result === null) return { judged: 0, raised: 0, stopped: 0, escalated: 0, failed: 0 };
    return result;
  }

  @Post('alert-subscriptions')
  @ApiOperation({
    summary: 'Create a webhook subscription for alerts',
    operationId: 'createAlertSubscription',
  })
  @Allow('admin', 'system')
  // The answer holds the secret: it must not be kept in the idempotency records.
  @NoIdempotencyRecord()
  @ApiCreatedResponse({ description: 'The subscription with its secret: shown this once only' })
  create(@Body() body: CreateSubscriptionDto, @CurrentPrincipal() principal: Principal) {
    return this.subscriptions.create(body, principal.subject, this.clock.now());
  }

  @Get('alert-subscriptions')
  @ApiOperation({ summary: 'List webhook subscriptions', operationId: 'listAlertSubscriptions' })
  @Allow('admin', 'system')
  @ApiOkResponse({ description: 'Subscriptions, without their secrets' })
  listSubscriptions(): Promise<SubscriptionView[]> {
    return this.subscriptions.list();
  }

  @Delete('alert-subscriptions/:id')
  @ApiOperation({
    summary: 'Delete a webhook subscription',
    operationId: 'deleteAlertSubscription',
  })
  @Allow('admin', 'system')
  @ApiOkResponse({ description: 'Deactivated; its pending deliveries are parked' })
  deactivate(@Param('id', subscriptionId) id: string): Promise<SubscriptionView> {
    return this.subscriptions.deactivate(id);
  }

  @Get('alert-deliveries')
  @ApiOperation({
    summary: 'List webhook deliveries (parked and pending)',
    operationId: 'listAlertDeliveries',
  })
  @Allow('admin', 'system')
  @ApiOkResponse({ description: 'Deliveries by status (default parked, with their last error)' })
  deliveries(@Query() query: ListDeliveriesDto): Promise<Page<DeliveryView>> {
    return this.subscriptions.deliveries(query.status, query.limit, query.offset);
  }

  @Post('alert-deliveries/:id/redelivery')
  @ApiOperation({ summary: 'Send a parked webhook delivery again', operationId: 'redeliverAlert' })
  @Allow('admin', 'system')
  @HttpCode(202)
  @ApiOkResponse({ description: 'The parked delivery is queued again' })
  async redeliver(
    @Param(
      'id',
      new ParseIntPipe(notFound('ALERT_DELIVERY.NOT_FOUND', 'No parked delivery with this id')),
    )
    id: number,
  ): Promise<{ queued: true }> {
    await this.subscriptions.redeliver(String(id));
    this.delivery.poke();
    return { queued: true };
  }
}
