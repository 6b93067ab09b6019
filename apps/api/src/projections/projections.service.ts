import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { EVENT_STORE, formatPosition, type EventStore } from '@tovholder/event-store';
import {
  CheckpointWatcher,
  ProjectionRunner,
  readCheckpoint,
  type Projector,
} from '@tovholder/read-models';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { createProjectors } from '../read-models';

export const PROJECTORS = Symbol('PROJECTORS');

export interface ProjectorStatus {
  readonly name: string;
  /** running: this instance drives it; standby: another instance holds its lock; stopped: off here. */
  readonly state: string;
  readonly checkpoint: string | null;
  /** Events in the log after the checkpoint (counted up to 10,000); null if the store cannot count. */
  readonly eventsBehind: number | null;
}

const LAG_COUNT_CAP = 10_000;

/** Runs the projectors in this process, unless PROJECTIONS_ENABLED=false. */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Projections');
  readonly runners: ProjectionRunner[];

  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly watcher: CheckpointWatcher,
  ) {
    this.runners = createProjectors(config).map(
      (projector) =>
        new ProjectionRunner(dataSource, store, projector, {
          batchSize: config.projections.batchSize,
          maxAttempts: config.projections.maxAttempts,
          logger: this.logger,
          onCheckpoint: (name, position) => watcher.notify(name, position),
        }),
    );
  }

  onApplicationBootstrap(): void {
    if (!this.config.projections.enabled) {
      this.logger.log('projections are off in this instance (PROJECTIONS_ENABLED=false)');
      return;
    }
    for (const runner of this.runners) runner.start();
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }

  projector(name: string): Projector | undefined {
    return this.runners.find((runner) => runner.projector.name === name)?.projector;
  }

  async status(): Promise<ProjectorStatus[]> {
    return Promise.all(
      this.runners.map(async (runner) => {
        const checkpoint = await readCheckpoint(this.dataSource.manager, runner.projector.name);
        const eventsBehind = this.store.countAfter
          ? await this.store.countAfter(checkpoint, LAG_COUNT_CAP)
          : null;
        return {
          name: runner.projector.name,
          state: runner.state,
          checkpoint: checkpoint ? formatPosition(checkpoint) : null,
          eventsBehind,
        };
      }),
    );
  }
}
