import { Global, Module } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@tovholder/event-store';
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
      inject: [DataSource, EVENT_STORE],
      useFactory: (ds: DataSource, store: EventStore) =>
        new CheckpointWatcher(ds, (position) => store.hasReached(position)),
    },
  ],
  exports: [ProjectionsService, CheckpointWatcher],
})
export class ProjectionsModule {}
