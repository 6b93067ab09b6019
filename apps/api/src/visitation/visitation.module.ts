import { Module } from '@nestjs/common';
import { CaseworkModule } from '../casework/casework.module';
import { VisitationController } from './visitation.controller';
import { VisitationQueries } from './visitation.queries';

/** The weekly visitation meeting: new adult cases queue, are routed, and are flagged when they wait. */
@Module({
  imports: [CaseworkModule],
  controllers: [VisitationController],
  providers: [VisitationQueries],
})
export class VisitationModule {}
