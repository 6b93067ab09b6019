import { Module } from '@nestjs/common';
import { CaseworkModule } from '../casework/casework.module';
import { ManagementFiguresController } from './management-figures.controller';
import { ManagementFiguresQueries } from './management-figures.queries';

/** The figures management is asked for, per department and month, as JSON and CSV. */
@Module({
  imports: [CaseworkModule],
  controllers: [ManagementFiguresController],
  providers: [ManagementFiguresQueries],
})
export class ManagementFiguresModule {}
