import { Module } from '@nestjs/common';
import { FamiliesController } from './families.controller';

/** Families: their members, primary contact and consents. */
@Module({ controllers: [FamiliesController] })
export class FamiliesModule {}
