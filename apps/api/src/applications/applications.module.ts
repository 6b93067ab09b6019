import { Module } from '@nestjs/common';
import { CaseworkModule } from '../casework/casework.module';
import { ApplicationsController } from './applications.controller';
import { ProcessingDeadlinesFileLoader } from './processing-deadlines-file.loader';
import { ProcessingDeadlinesController } from './processing-deadlines.controller';

/** Applications and their decisions, and the processing deadlines the municipality publishes. */
@Module({
  imports: [CaseworkModule],
  controllers: [ApplicationsController, ProcessingDeadlinesController],
  providers: [ProcessingDeadlinesFileLoader],
})
export class ApplicationsModule {}
