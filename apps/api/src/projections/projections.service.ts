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
  RebuildInProgressError,
  readCheckpoint,
  rebuildBlueGreen,
  shadowNameOf,
  sharedReads,
  type Projector,
} from '@tovholder/read-models';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { watchCheckpoints } from '../infrastructure/postgres-wal';
import { createProjectors } from '../read-models';

export interface ProjectorStatus {
  readonly name: string;
  /** running: this instance drives it; standby: another instance holds its lock; stopped: off here. */
  readonly state: string;
  readonly checkpoint: string | null;
  /** Events in the log after the checkpoint (counted up to 10,000); null if the store cannot count. */
  readonly eventsBehind: number | null;
  /**
   * A blue/green rebuild under way (here or in another process): how far its shadow is. Readers
   * keep the live version until the shadow has caught up and takes its place.
   */
  readonly rebuild: {
    readonly checkpoint: string | null;
    readonly eventsBehind: number | null;
  } | null;
}

const LAG_COUNT_CAP = 10_000;

/** Runs the projectors in this process, unless PROJECTIONS_ENABLED=false. */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Projections');
  readonly runners: ProjectionRunner[];
  /** Blue/green rebuilds this instance runs, to cancel them. */
  private readonly rebuilds = new Map<string, AbortController>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly watcher: CheckpointWatcher,
  ) {
    // Runners catching up side by side (start-up, after an import) read the log once between
    // them: each has a reader of its own, so the shared window keeps what the slowest still needs.
    const reads = sharedReads(store);
    this.runners = createProjectors(config).map(
      (projector) =>
        new ProjectionRunner(dataSource, reads.reader(), projector, {
          batchSize: config.projections.batchSize,
          catchUpBatchSize: config.projections.catchUpBatchSize,
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
    for (const rebuild of this.rebuilds.values()) rebuild.abort();
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }

  /**
   * Starts a blue/green rebuild in the background; false if one of this projector is running
   * (here or elsewhere: the shadow's lock tells). Progress shows in `status()`.
   */
  async startRebuild(projector: Projector): Promise<boolean> {
    if (this.rebuilds.has(projector.name)) return false;
    const cancel = new AbortController();
    this.rebuilds.set(projector.name, cancel);
    const checkpointsMeanwhile = await watchCheckpoints(this.dataSource);
    const started = new Promise<boolean>((resolve) => {
      rebuildBlueGreen(this.dataSource, this.store, projector, {
        signal: cancel.signal,
        logger: this.logger,
        catchUpBatchSize: this.config.projections.catchUpBatchSize,
        progress: { start: () => resolve(true), update: () => undefined },
      })
        .then(async (result) => {
          this.logger.log(
            `${projector.name}: rebuilt from ${result.events} events and switched over`,
          );
          const hint = await checkpointsMeanwhile();
          if (hint) this.logger.warn(`${projector.name}: ${hint}`);
        })
        .catch((error: unknown) => {
          if (error instanceof RebuildInProgressError) return resolve(false);
          this.logger.warn(
            `${projector.name}: rebuild ended without switching (${error instanceof Error ? error.name : 'error'}); the live version is untouched`,
          );
        })
        .finally(() => {
          this.rebuilds.delete(projector.name);
          resolve(true);
        });
    });
    return started;
  }

  /** Cancels this instance's rebuild of a projector; false if it runs none. */
  cancelRebuild(name: string): boolean {
    const rebuild = this.rebuilds.get(name);
    rebuild?.abort();
    return rebuild !== undefined;
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
          rebuild: await this.rebuildStatus(runner.projector.name),
        };
      }),
    );
  }

  private async rebuildStatus(name: string): Promise<ProjectorStatus['rebuild']> {
    const [row] = await this.dataSource.query<{ projector: string }[]>(
      'SELECT projector FROM projection_checkpoints WHERE projector = $1',
      [shadowNameOf(name)],
    );
    if (!row) return null;
    const checkpoint = await readCheckpoint(this.dataSource.manager, shadowNameOf(name));
    return {
      checkpoint: checkpoint ? formatPosition(checkpoint) : null,
      eventsBehind: this.store.countAfter
        ? await this.store.countAfter(checkpoint, LAG_COUNT_CAP)
        : null,
    };
  }
}
