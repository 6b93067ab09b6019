import { Module } from '@nestjs/common';
import { CaseworkModule } from '../casework/casework.module';

/** The figures management is asked for, per department and month, as JSON and CSV. */
@Module({
  imports: [CaseworkModule],
  controllers: [],
  providers: [],
})
export class ManagementFiguresModule {}
