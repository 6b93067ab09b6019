import { Module } from '@nestjs/common';
import { CaseworkModule } from '../casework/casework.module';
import { CoordinationModule } from '../coordination/coordination.module';
import { TransitionsModule } from '../transitions/transitions.module';
import { AgendaBuilder } from './agenda-builder.service';
import { AgreementsController } from './agreements.controller';
import { FamilyMinutesController } from './family-minutes.controller';
import { MeetingsController } from './meetings.controller';
import { MeetingsQueries } from './meetings.queries';

/** The monthly coordination meeting: plan, frozen agenda, minutes, agreements, family extracts. */
@Module({
  imports: [CaseworkModule, CoordinationModule, TransitionsModule],
  controllers: [MeetingsController, AgreementsController, FamilyMinutesController],
  providers: [MeetingsQueries, AgendaBuilder],
  exports: [AgendaBuilder, MeetingsQueries],
})
export class MeetingsModule {}
