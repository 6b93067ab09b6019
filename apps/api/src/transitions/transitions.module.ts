import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { TransitionScheduler } from './transition-scheduler.service';
import { TRANSITION_POLICY, transitionPolicyFrom } from './transition.rules';
import { TransitionsController } from './transitions.controller';
import { TransitionsQueries } from './transitions.queries';

/** Transitions to adult life: the 16th-birthday scheduler, the steps, the youth unit's lists. */
@Module({
  controllers: [TransitionsController],
  providers: [
    TransitionScheduler,
    TransitionsQueries,
    {
      provide: TRANSITION_POLICY,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => transitionPolicyFrom(config),
    },
  ],
  exports: [TransitionsQueries],
})
export class TransitionsModule {}
