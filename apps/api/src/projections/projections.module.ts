import { Global, Module } from '@nestjs/common';
import { CheckpointWatcher } from '@tovholder/read-models';
import { DataSource } from 'typeorm';
import { ProjectionsController } from './projections.controller';
import { ProjectionsService } from './projections.service';

@Global()
@Module({
  controllers: [ProjectionsController],
  providers: [
    ProjectionsService,
    {
      provide: CheckpointWatcher,
      inject: [DataSource],
      useFactory: (ds: DataSource) => new CheckpointWatcher(ds),
    },
  ],
  exports: [ProjectionsService, CheckpointWatcher],
})
export class ProjectionsModule {}
