import { Module } from '@nestjs/common';
import { CaseworkModule } from '../casework/casework.module';
import { AlertDelivery } from './alert-delivery.service';
import { AlertRun } from './alert-run.service';
import { AlertSubscriptions } from './alert-subscriptions';
import { AlertsController } from './alerts.controller';
import { AlertsQueries } from './alerts.queries';

/** Alerts (advis): the run that records them, the worklist, the feed and webhook delivery. */
@Module({
  imports: [CaseworkModule],
  controllers: [AlertsController],
  providers: [AlertRun, AlertDelivery, AlertsQueries, AlertSubscriptions],
  exports: [AlertRun, AlertDelivery],
})
export class AlertsModule {}
