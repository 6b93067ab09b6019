import { Module } from '@nestjs/common';
import { CaseworkModule } from '../casework/casework.module';

/** Management supervision: a risk-weighted, reproducible sample of a team's cases and the reviews. */
@Module({
  imports: [CaseworkModule],
  controllers: [],
  providers: [],
})
export class SupervisionModule {}
