import { Module } from '@nestjs/common';
import { CaseworkModule } from '../casework/casework.module';
import { SupervisionController } from './supervision.controller';
import { SupervisionQueries } from './supervision.queries';

/** Management supervision: a risk-weighted, reproducible sample of a team's cases and the reviews. */
@Module({
  imports: [CaseworkModule],
  controllers: [SupervisionController],
  providers: [SupervisionQueries],
})
export class SupervisionModule {}
