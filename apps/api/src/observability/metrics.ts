import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CollectFunction,
} from 'prom-client';
import type { WalCounters } from '../infrastructure/postgres-wal';

/** One projector as a scrape sees it. */
export interface ProjectorGauges {
  readonly name: string;
  readonly checkpointCommit: number;
  readonly eventsBehind: number | null;
  readonly lagSeconds: number;
  readonly parked: number;
  readonly running: boolean;
}

/** Read once per scrape (every gauge of a scrape shares it). */
export interface ScrapeSnapshot {
  readonly projectors: readonly ProjectorGauges[];
  readonly idempotencyKeysInProgress: number;
  /** Each PostgreSQL pool of the app: the read models' and (on PostgreSQL) the event store's. */
  readonly pools: readonly PoolUse[];
  /** The read models' PostgreSQL server's WAL and checkpoints; null before PostgreSQL 17. */
  readonly database: WalCounters | null;
}

export interface PoolUse {
  readonly pool: 'read-models' | 'event-store';
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The app's Prometheus metrics, in a registry of its own (one per app, so several apps in a
 * process, as in the tests, do not collide). Counters are counted where things happen; gauges
 * are read from the projection status, the idempotency table and the pool when scraped.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });
  readonly appendDuration = new Histogram({
    name: 'tovholder_event_store_append_duration_seconds',
    help: 'Appends to the event store by outcome (ok, conflict, error)',
    labelNames: ['outcome'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });
  readonly appendConflicts = new Counter({
    name: 'tovholder_event_store_expected_revision_conflicts_total',
    help: 'Appends refused because the stream had moved past the expected revision',
    registers: [this.registry],
  });
  readonly idempotencyReplays = new Counter({
    name: 'tovholder_idempotency_replays_total',
    help: 'Requests answered from a stored idempotency record',
    registers: [this.registry],
  });
  readonly accessLogWrites = new Counter({
    name: 'tovholder_access_log_writes_total',
    help: 'Entries written to the access log, by outcome of the write',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly scheduledRuns = new Counter({
    name: 'tovholder_scheduled_runs_total',
    help: 'Runs of scheduled processes by outcome (completed, skipped: another instance ran it, failed)',
    labelNames: ['process', 'outcome'] as const,
    registers: [this.registry],
  });

  private snapshotAt = 0;
  private snapshot: Promise<ScrapeSnapshot> | null = null;

  constructor(private readonly read: () => Promise<ScrapeSnapshot>) {
    collectDefaultMetrics({ register: this.registry });
    /** A metric whose samples are set afresh from the snapshot at each scrape. */
    const collected =
      <M extends Gauge | Counter>(
        Metric: new (configuration: {
          name: string;
          help: string;
          labelNames: string[];
          registers: Registry[];
          collect: CollectFunction<M>;
        }) => M,
      ) =>
      (name: string, help: string, labelNames: string[], fill: (m: M, s: ScrapeSnapshot) => void) =>
        new Metric({
          name,
          help,
          labelNames,
          registers: [this.registry],
          collect: async function (this: M) {
            this.reset();
            fill(this, await snapshot());
          },
        });
    const gauge = collected<Gauge>(Gauge);
    // The server's own cumulative counts, shown as counters: rate() and increase() apply.
    const serverCounter = (
      name: string,
      help: string,
      labelNames: string[],
      fill: (c: Counter, database: WalCounters) => void,
    ) =>
      collected<Counter>(Counter)(name, help, labelNames, (c, s) => {
        if (s.database) fill(c, s.database);
      });
    const snapshot = () => this.currentSnapshot();
    const perProjector =
      (value: (p: ProjectorGauges) => number | null) => (g: Gauge, s: ScrapeSnapshot) => {
        for (const projector of s.projectors) {
          const v = value(projector);
          if (v !== null) g.set({ projector: projector.name }, v);
        }
      };
    const projectorGauges: [string, string, (p: ProjectorGauges) => number | null][] = [
      [
        'checkpoint_commit',
        "Commit part of each projector's checkpoint position",
        (p) => p.checkpointCommit,
      ],
      [
        'events_behind',
        'Events in the log after the checkpoint (counted up to 10,000)',
        (p) => p.eventsBehind,
      ],
      [
        'lag_seconds',
        'Age of the oldest event the projector has not applied yet (0 when caught up)',
        (p) => p.lagSeconds,
      ],
      ['parked_events', 'Events the projector parked (could not apply)', (p) => p.parked],
      [
        'running',
        '1 if this instance drives the projector, 0 if it stands by or is off',
        (p) => (p.running ? 1 : 0),
      ],
    ];
    for (const [name, help, value] of projectorGauges) {
      gauge(`tovholder_projection_${name}`, help, ['projector'], perProjector(value));
    }
    gauge(
      'tovholder_idempotency_keys_in_progress',
      'Idempotency keys claimed by a request that has not finished',
      [],
      (g, s) => g.set(s.idempotencyKeysInProgress),
    );
    gauge(
      'tovholder_db_pool_connections',
      'Database pools (read models, event store): total, idle and waiting clients',
      ['pool', 'state'],
      (g, s) => {
        for (const use of s.pools) {
          for (const state of ['total', 'idle', 'waiting'] as const) {
            g.set({ pool: use.pool, state }, use[state]);
          }
        }
      },
    );
    serverCounter(
      'tovholder_db_checkpoints_total',
      'PostgreSQL checkpoints: on its timer (timed), or asked for by WAL past max_wal_size or a CHECKPOINT (requested)',
      ['reason'],
      (c, d) => {
        c.inc({ reason: 'timed' }, d.checkpointsTimed);
        c.inc({ reason: 'requested' }, d.checkpointsRequested);
      },
    );
    serverCounter('tovholder_db_wal_bytes_total', 'Bytes PostgreSQL wrote to its WAL', [], (c, d) =>
      c.inc(d.walBytes),
    );
    serverCounter(
      'tovholder_db_wal_full_page_images_total',
      'Whole pages PostgreSQL wrote to its WAL, the first change to each after a checkpoint',
      [],
      (c, d) => c.inc(d.fullPageImages),
    );
    gauge('tovholder_db_max_wal_size_bytes', "PostgreSQL's max_wal_size", [], (g, s) => {
      if (s.database) g.set(s.database.maxWalSizeBytes);
    });
  }

  /** One read of the slow sources per scrape, however many gauges ask. */
  private currentSnapshot(): Promise<ScrapeSnapshot> {
    const now = Date.now();
    if (!this.snapshot || now - this.snapshotAt > 1000) {
      this.snapshotAt = now;
      this.snapshot = this.read();
    }
    return this.snapshot;
  }

  /** Prometheus text format. */
  async scrape(): Promise<string> {
    this.snapshot = null;
    return this.registry.metrics();
  }
}
