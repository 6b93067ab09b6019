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
  type Projector,
  type RunnerState,
} from '@tovholder/read-models';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { createProjectors } from '../read-models';
import { ProjectionThread } from './projection-thread';
import { createRunners } from './runners';

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
  /** The projectors, for their names and for rebuilds; their runners run on `thread` or here. */
  readonly projectors: readonly Projector[];
  private readonly thread: ProjectionThread | null;
  /** The runners on this thread: without a projection thread, or when it could not start. */
  private runners: ProjectionRunner[] = [];
  /** Blue/green rebuilds this instance runs, to cancel them. */
  private readonly rebuilds = new Map<string, AbortController>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly watcher: CheckpointWatcher,
  ) {
    this.projectors = createProjectors(config);
    this.thread = config.projections.thread
      ? new ProjectionThread({
          config,
          store,
          logger: this.logger,
          onCheckpoint: (name, position) => watcher.notify(name, position),
        })
      : null;
  }

  onApplicationBootstrap(): void {
    if (!this.config.projections.enabled) {
      this.logger.log('projections are off in this instance (PROJECTIONS_ENABLED=false)');
      return;
    }
    this.startRunners();
  }

  async onModuleDestroy(): Promise<void> {
    for (const rebuild of this.rebuilds.values()) rebuild.abort();
    await this.stopRunners();
  }

  /** Starts the runners (on the projection thread if configured and it can start). */
  startRunners(): void {
    if (this.thread) {
      try {
        return this.thread.start();
      } catch (error) {
        this.logger.warn(
          `the projection thread could not start (${error instanceof Error ? error.name : 'error'}); the projectors run on the main thread`,
        );
      }
    }
    this.runners = createRunners(
      this.dataSource,
      this.store,
      this.config,
      this.logger,
      (name, position) => this.watcher.notify(name, position),
    );
    for (const runner of this.runners) runner.start();
  }

  /** Stops the runners: each finishes its batch and releases its lock. */
  async stopRunners(): Promise<void> {
    await this.thread?.stop();
    await Promise.all(this.runners.map((runner) => runner.stop()));
    this.runners = [];
  }

  private stateOf(projector: string): RunnerState {
    const here = this.runners.find((runner) => runner.name === projector);
    return here ? here.state : (this.thread?.state(projector) ?? 'stopped');
  }

  /**
   * Starts a blue/green rebuild in the background; false if one of this projector is running
   * (here or elsewhere: the shadow's lock tells). Progress shows in `status()`.
   */
  async startRebuild(projector: Projector): Promise<boolean> {
    if (this.rebuilds.has(projector.name)) return false;
    const cancel = new AbortController();
    this.rebuilds.set(projector.name, cancel);
    const started = new Promise<boolean>((resolve) => {
      rebuildBlueGreen(this.dataSource, this.store, projector, {
        signal: cancel.signal,
        logger: this.logger,
        catchUpBatchSize: this.config.projections.catchUpBatchSize,
        progress: { start: () => resolve(true), update: () => undefined },
      })
        .then((result) =>
          this.logger.log(
            `${projector.name}: rebuilt from ${result.events} events and switched over`,
          ),
        )
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
    return this.projectors.find((projector) => projector.name === name);
  }

  async status(): Promise<ProjectorStatus[]> {
    return Promise.all(
      this.projectors.map(async ({ name }) => {
        const checkpoint = await readCheckpoint(this.dataSource.manager, name);
        const eventsBehind = this.store.countAfter
          ? await this.store.countAfter(checkpoint, LAG_COUNT_CAP)
          : null;
        return {
          name,
          state: this.stateOf(name),
          checkpoint: checkpoint ? formatPosition(checkpoint) : null,
          eventsBehind,
          rebuild: await this.rebuildStatus(name),
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
