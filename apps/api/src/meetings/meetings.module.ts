import { Module } from '@nestjs/common';
import { CaseworkModule } from '../casework/casework.module';

/** The monthly coordination meeting: plan, frozen agenda, minutes, agreements, family extracts. */
@Module({
  imports: [CaseworkModule],
  controllers: [],
  providers: [],
})
export class MeetingsModule {}
