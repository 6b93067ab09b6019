import { Module } from '@nestjs/common';
import { CaseworkersController } from './caseworkers.controller';

/** Caseworkers: registered, deactivated and reactivated by an administrator. */
@Module({ controllers: [CaseworkersController] })
export class CaseworkersModule {}
