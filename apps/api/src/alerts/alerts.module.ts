import { Module } from '@nestjs/common';
import { CaseworkModule } from '../casework/casework.module';
import { AlertDelivery } from './alert-delivery.service';
import { AlertRun } from './alert-run.service';
import { AlertSubscriptions } from './alert-subscriptions';
import { AlertsController } from './alerts.controller';
import { AlertsQueries } from './alerts.queries';
import { PERSON_DATA_MASTER_KEY } from '../persons/person-data-key';
import type { MasterKey } from '../persons/person-crypto';
import { WebhookSecrets } from './webhook-secrets';

/** Alerts (advis): the run that records them, the worklist, the feed and webhook delivery. */
@Module({
  imports: [CaseworkModule],
  controllers: [AlertsController],
  providers: [
    AlertRun,
    AlertDelivery,
    AlertsQueries,
    AlertSubscriptions,
    {
      provide: WebhookSecrets,
      inject: [PERSON_DATA_MASTER_KEY],
      useFactory: (master: MasterKey) => new WebhookSecrets(master),
    },
  ],
  exports: [AlertRun, AlertDelivery],
})
export class AlertsModule {}
