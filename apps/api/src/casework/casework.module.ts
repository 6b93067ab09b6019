import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CaseworkController } from './casework.controller';
import { CASEWORK_POLICY, caseworkPolicyFrom } from './casework.policy';
import { CaseworkQueries } from './casework.queries';

/**
 * The casework duties (inquiries, applications and decisions, complaints, file access, the
 * journal) and what management reads of them.
 */
@Module({
  controllers: [CaseworkController],
  providers: [
    CaseworkQueries,
    {
      provide: CASEWORK_POLICY,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => caseworkPolicyFrom(config),
    },
  ],
  exports: [CaseworkQueries, CASEWORK_POLICY],
})
export class CaseworkModule {}
