import { Module } from '@nestjs/common';
import { CaseworkModule } from '../casework/casework.module';

/** The weekly visitation meeting: new adult cases queue, are routed, and are flagged when they wait. */
@Module({
  imports: [CaseworkModule],
  controllers: [],
  providers: [],
})
export class VisitationModule {}
