import { Global, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AccessGuard } from './access.guard';
import { AccessLog } from './access-log';
import { AccessLogController } from './access-log.controller';
import { ResourceFactsReader } from './resource-facts';
import { ScopedReadInterceptor } from './scoped-read.interceptor';

/**
 * Who may do what: role rules on every route, department scoping on case, person and family
 * routes, and the access log. AccessGuard checks the role rules and scopes changes;
 * ScopedReadInterceptor scopes, logs and answers reads. Imported after AuthModule, so its guard
 * runs after authentication and the rate limit.
 */
@Global()
@Module({
  controllers: [AccessLogController],
  providers: [
    AccessLog,
    ResourceFactsReader,
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_INTERCEPTOR, useClass: ScopedReadInterceptor },
  ],
  exports: [AccessLog],
})
export class AccessModule {}
